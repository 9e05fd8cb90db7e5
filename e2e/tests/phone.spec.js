// Made for a phone (issue 10, first part): on every kind of page, after scrolling to the very
// bottom on a 390x844 phone, Quick exit is on screen and works; on a touch screen the hint says
// "tap" (there is no Shift key); Help now opens offline after one visit to it alone.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const PAGES = ['/', '/more', '/help', '/calm', '/calm/breathing?step=1', '/today', '/journal', '/journal/new', '/safety/plan', '/support', '/settings', '/settings/export', '/settings/import', '/together', '/together/guide', '/progress', '/progress/pcl5/start', '/learn', '/learn/flashbacks', '/therapy', '/therapy/notes'];

/** Whether an element lies wholly inside the viewport. */
async function inView(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

for (const [w, hgt] of [[390, 844], [1280, 800]]) {
  for (const scheme of ['light', 'dark']) {
    test(`${w}x${hgt}, ${scheme}: after scrolling to the bottom of every page, Quick exit is on screen and works; axe finds nothing`, async ({ page, neutral }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: w, height: hgt });
      await page.emulateMedia({ colorScheme: scheme });
      await h.setUp(page);
      for (const path of PAGES) {
        await page.goto(path);
        await h.expectNoAxeViolations(page, `${path} at ${w}, ${scheme}`);
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await page.waitForFunction(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2);
        expect(await inView(page.locator('#quick-exit')), `${path}: Quick exit on screen after scrolling`).toBe(true);
        // The phone's tab bar never hides the end of the page.
        const tabs = page.locator('nav.tabs');
        if (w < 600 && (await tabs.count())) {
          const covered = await page.evaluate(() => {
            const bar = document.querySelector('nav.tabs').getBoundingClientRect();
            const last = [...document.querySelectorAll('footer.foot a, main a, main button')].filter((e) => e.offsetParent).pop();
            return last ? last.getBoundingClientRect().bottom > bar.top : false;
          });
          expect(covered, `${path}: the last link of the page is above the tab bar`).toBe(false);
        }
      }
      // And it works from there.
      await page.goto('/help');
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await Promise.all([page.waitForURL((u) => u.href.startsWith(neutral.url)), page.locator('#quick-exit').click()]);
    });
  }
}

test('on a phone, Help now shows the first Call button in the first screen, locked and unlocked', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const unlocked of [false, true]) {
    if (unlocked) await h.setUp(page);
    await page.goto('/help?country=US');
    const call = page.locator('.lines a.button', { hasText: /^Call / }).first();
    await expect(call).toBeVisible();
    expect(await inView(call), `the first Call button is in the first screen (${unlocked ? 'unlocked' : 'locked'})`).toBe(true);
  }
});

test('the area navigation leaves out what the person hid, and marks where they are', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await h.setUp(page);
  await page.goto('/journal');
  const tabs = page.locator('nav.tabs');
  await expect(tabs.getByRole('link', { name: 'Journal' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Today' })).toBeVisible();
  // An area without a tab of its own is reached through More, which then shows as current.
  await page.goto('/safety/plan');
  await expect(tabs.getByRole('link', { name: 'More' })).toHaveAttribute('aria-current', 'true');
  await page.goto('/more');
  await expect(page.locator('.tiles a').first()).toHaveAttribute('href', '/safety');
  await page.goto('/settings');
  const areas = page.locator('form[action="/settings/areas"]');
  await areas.locator('#show_today').uncheck();
  await h.clickAndLoad(page, areas.locator('button[type="submit"]'));
  await page.goto('/journal');
  await expect(tabs.getByRole('link', { name: 'Today' })).toHaveCount(0);
  await expect(tabs.getByRole('link', { name: 'More' })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(tabs.getByRole('link', { name: 'Safety' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Today' })).toHaveCount(0);
});

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
