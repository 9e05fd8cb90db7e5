// Calm now, offline. This service worker keeps ONLY the public calm pages, Help now, Learn and
// the therapy guide and their assets (the list every area declares: registry::offline), so they
// open with no connection. It never stores anything else: any other
// address (home, settings, ratings, "what helped", every private page) passes straight to
// the network, untouched.
//
// The pages it keeps are fetched by the worker itself WITHOUT cookies, so the copies are the
// public versions a locked visitor sees: never a page drawn for an unlocked person. Pages the
// person opens are answered from the network first; the kept copy is used only when the network
// fails. Locking sends Clear-Site-Data, which removes this worker and its copies; the next visit
// to a calm page registers it again.
//
// The server fills in VERSION and OFFLINE_URLS (see handlers/calm.rs).

const VERSION = "__VERSION__";
const OFFLINE_URLS = ["__OFFLINE_URLS__"];
const CACHE = `calm-${VERSION}`;
const PATHS = new Set(OFFLINE_URLS.map((u) => new URL(u, self.location.origin).pathname));
const NETWORK_PATIENCE_MS = 4000;

async function fetchPublic(url) {
  const response = await fetch(url, { credentials: "omit", cache: "no-store", redirect: "error" });
  if (!response.ok || response.type !== "basic") throw new Error(`could not keep ${url}`);
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // A few at a time, so a slow phone is not flooded with requests.
      const queue = [...OFFLINE_URLS];
      const worker = async () => {
        while (queue.length) {
          const url = queue.shift();
          await cache.put(url, await fetchPublic(url));
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith("calm-") && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

/** The kept copy for `url`: the exact address, then with only `step` and `short`, then the page
 * itself (so a run with a use id or a custom breathing rhythm still opens offline). */
async function kept(url) {
  const cache = await caches.open(CACHE);
  const exact = await cache.match(url.pathname + url.search);
  if (exact) return exact;
  const plain = new URLSearchParams();
  for (const name of ["step", "short"]) {
    const v = url.searchParams.get(name);
    if (v !== null) plain.set(name, v);
  }
  const query = plain.toString();
  const near = await cache.match(url.pathname + (query ? `?${query}` : ""));
  if (near) return near;
  return cache.match(url.pathname);
}

async function networkFirst(request, url) {
  const network = fetch(request);
  const patience = new Promise((resolve) => setTimeout(resolve, NETWORK_PATIENCE_MS, "slow"));
  try {
    const first = await Promise.race([network, patience]);
    if (first !== "slow") return first;
    const copy = await kept(url);
    return copy || (await network);
  } catch (_) {
    const copy = await kept(url);
    if (copy) return copy;
    throw _;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !PATHS.has(url.pathname)) return;
  if (url.pathname.startsWith("/static/")) {
    // Hashed, immutable assets: the kept copy is always right.
    event.respondWith(
      caches.open(CACHE).then((c) => c.match(url.pathname)).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(networkFirst(request, url));
});
