// Lock and unlock, and what the browser keeps afterwards.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const vfs = require('node:fs');
const vpath = require('node:path');
test.beforeEach(async ({ page }) => {
  for (const name of ['app', 'journal']) {
    const body = vfs.readFileSync(vpath.join(__dirname, '..', '..', 'crates/trellis-web/static', `${name}.js`));
    await page.route(new RegExp(`/static/${name}\\.[0-9a-f]+\\.js$`), (route) => route.fulfill({ body, contentType: 'text/javascript; charset=utf-8' }));
  }
});

test('lock → /unlock; a wrong passphrase is refused calmly; the right one opens home', async ({ page }) => {
  await h.setUp(page);
  await h.lock(page);
  await h.audit(page, 'unlock');

  // Locked: home sends to unlock.
  await page.goto('/');
  await expect(page).toHaveURL(/\/unlock$/);

  await h.unlock(page, 'not my passphrase at all');
  await expect(page).toHaveURL(/\/unlock$/);
  await h.expectCalmAlert(page);
  await expect(h.formWith(page, 'passphrase').locator('[name="passphrase"]')).toBeVisible();
  await expect(h.lockButton(page)).toHaveCount(0);
  await h.audit(page, 'unlock with error');

  await h.unlock(page);
  await h.expectHome(page);
});

test('session cookie attributes; after lock nothing is left in the browser for the origin', async ({ page, context, app }) => {
  await h.setUp(page);

  const cookies = await context.cookies(app.origin);
  const session = cookies.find((c) => c.name === '__Host-s');
  expect(session, `Chromium accepted the __Host-s cookie on ${app.origin}; cookies: ${JSON.stringify(cookies)}`).toBeTruthy();
  expect(session.httpOnly).toBe(true);
  expect(session.secure).toBe(true);
  expect(session.sameSite).toBe('Strict');
  expect(session.path).toBe('/');
  expect(session.domain, 'host-only cookie (no Domain attribute)').toBe('127.0.0.1');
  for (const c of cookies) {
    expect(c.name.startsWith('__Host-'), `cookie ${c.name} uses the __Host- prefix`).toBe(true);
    expect(c.httpOnly && c.secure && c.sameSite === 'Strict', `cookie ${c.name} is HttpOnly, Secure, Strict`).toBe(true);
  }

  // Nothing in page storage while unlocked either.
  expect(await h.originStorage(page)).toEqual({ localStorage: 0, sessionStorage: 0, indexedDB: [], caches: [] });

  await h.lock(page);
  const after = await context.cookies(app.origin);
  expect(after.map((c) => c.name), 'no session cookie after lock').not.toContain('__Host-s');
  // Only the pre-session cookie that keys the unlock form may come back.
  expect(after.filter((c) => c.name !== '__Host-a').map((c) => c.name), 'no other cookies after lock').toEqual([]);
  expect(await h.originStorage(page)).toEqual({ localStorage: 0, sessionStorage: 0, indexedDB: [], caches: [] });

  // The old session cookie value no longer opens anything (sent by hand: Chromium will not let
  // a test put a __Host- cookie back on an http origin).
  const res = await fetch(app.url('/'), { headers: { cookie: `__Host-s=${session.value}` }, redirect: 'manual' });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/unlock');
});
