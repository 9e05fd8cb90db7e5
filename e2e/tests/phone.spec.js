// Made for a phone (issue 10, first part): on every kind of page, after scrolling to the very
// bottom on a 390x844 phone, Quick exit is on screen and works; on a touch screen the hint says
// "tap" (there is no Shift key); Help now opens offline after one visit to it alone.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const PAGES = ['/', '/help', '/calm', '/today', '/journal', '/safety/plan', '/support', '/settings', '/together', '/together/guide'];

/** Whether an element lies wholly inside the viewport. */
async function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

for (const scheme of ['light', 'dark']) {
  test(`phone, ${scheme}: after scrolling to the bottom of every page, Quick exit is on screen`, async ({ page, neutral }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: scheme });
    await h.setUp(page);
    for (const path of PAGES) {
      await page.goto(path);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2);
      expect(await inView(page.locator('#quick-exit')), `${path}: Quick exit on screen after scrolling`).toBe(true);
    }
    // And it works from there.
    await page.goto('/help');
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await page.screenshot({ path: `test-results/shots/phone-help-scrolled-${scheme}.png` });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await Promise.all([page.waitForURL((u) => u.href.startsWith(neutral.url)), page.locator('#quick-exit').click()]);
  });
}

test('a touch screen is told to tap Quick exit, never to press Shift', async ({ newDevice }) => {
  const phone = await (await newDevice({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await phone.goto('/help');
  await expect(phone.locator('.exit-hint .on-touch')).toBeVisible();
  await expect(phone.locator('.exit-hint .on-touch')).toHaveText('To leave quickly, tap Quick exit.');
  await expect(phone.locator('.exit-hint .on-keyboard')).toBeHidden();
});

test('a keyboard and mouse are told about Shift', async ({ page }) => {
  await page.goto('/help');
  await expect(page.locator('.exit-hint .on-keyboard')).toBeVisible();
  await expect(page.locator('.exit-hint .on-keyboard')).toHaveText(/press Shift three times, or use Quick exit/);
  await expect(page.locator('.exit-hint .on-touch')).toBeHidden();
});

test('Help now opens offline after one visit to it alone', async ({ page, context }) => {
  await page.goto('/help');
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active && (await caches.keys()).length === 1 && !!(await caches.match('/help'));
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('h1')).toHaveText('Help now');
  await context.setOffline(false);
});
