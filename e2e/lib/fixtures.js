// Test fixtures: every test gets a fresh Trellis (its own data dir and port), one neutral site
// per worker, a baseURL pointing at that Trellis, and a watch on every page it opens that fails
// the test if any page title or URL path reached contains a sensitive word.
'use strict';

const base = require('@playwright/test');
const { startTrellis, startNeutral } = require('./servers');
const { sensitiveHits } = require('./helpers');

const { expect } = base;

/** Records the URL and title of every document loaded in `page`. */
function watchPage(page, seen) {
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push({ url: frame.url(), title: null });
  });
  page.on('load', async () => {
    try {
      seen.push({ url: page.url(), title: await page.title() });
    } catch {
      // The page moved on or closed before we could read the title; the next load records it.
    }
  });
}

function watchContext(context, seen) {
  for (const p of context.pages()) watchPage(p, seen);
  context.on('page', (p) => watchPage(p, seen));
}

function checkSeen(seen) {
  const problems = [];
  for (const { url, title } of seen) {
    if (url && /^https?:/.test(url)) {
      const u = new URL(url);
      const hits = sensitiveHits(decodeURIComponent(u.pathname + u.search));
      if (hits.length) problems.push(`URL ${url} contains ${hits.join(', ')}`);
    }
    if (title) {
      const hits = sensitiveHits(title);
      if (hits.length) problems.push(`title "${title}" (at ${url}) contains ${hits.join(', ')}`);
    }
  }
  return [...new Set(problems)];
}

const test = base.test.extend({
  neutral: [
    async ({}, use) => {
      const neutral = await startNeutral();
      await use(neutral);
      await neutral.stop();
    },
    { scope: 'worker' },
  ],

  app: async ({ neutral }, use, testInfo) => {
    const app = await startTrellis({ exitUrl: neutral.url });
    try {
      await use(app);
    } finally {
      await app.stop();
      await testInfo.attach('trellis.log', { body: app.log(), contentType: 'text/plain' });
    }
  },

  baseURL: async ({ app }, use) => {
    await use(app.origin);
  },

  /** Every title and URL reached in this test, from every context made through the fixtures. */
  seen: async ({}, use) => {
    const seen = [];
    await use(seen);
    const problems = checkSeen(seen);
    expect(problems, `sensitive words in titles or URLs:\n${problems.join('\n')}`).toEqual([]);
  },

  context: async ({ context, seen }, use) => {
    watchContext(context, seen);
    await use(context);
  },

  /** Opens another browser context (another "device") with the same options and watch. */
  newDevice: async ({ browser, baseURL, seen, locale }, use) => {
    const made = [];
    await use(async (options = {}) => {
      const ctx = await browser.newContext({ baseURL, locale, ...options });
      watchContext(ctx, seen);
      made.push(ctx);
      return ctx;
    });
    for (const ctx of made) await ctx.close();
  },
});

module.exports = { test, expect };
