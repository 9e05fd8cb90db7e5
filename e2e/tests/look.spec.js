// How it looks (issue 10): screenshots of the main pages on a phone and a laptop, light and dark,
// kept in test-results/shots/ for a person to look at; and the layout rules a person would notice:
// the header is one row down to 320 px, and the phone's tab bar never hides the page's end.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const SHOTS = ['/', '/help', '/calm', '/today', '/journal', '/more', '/calm/breathing?step=1', '/safety', '/together'];

for (const [w, hgt] of [[390, 844], [1280, 800]]) {
  for (const scheme of ['light', 'dark']) {
    test(`screenshots at ${w}x${hgt}, ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: hgt });
      await page.emulateMedia({ colorScheme: scheme });
      await h.setUp(page);
      for (const path of SHOTS) {
        await page.goto(path);
        const name = path === '/' ? 'home' : path.slice(1).replace(/[^a-z0-9]+/gi, '-');
        await page.screenshot({ path: `test-results/shots/${name}-${w}-${scheme}.png` });
      }
    });
  }
}

for (const w of [320, 390]) {
  test(`the header is one row at ${w} px`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: 700 });
    await h.setUp(page);
    for (const path of ['/', '/help', '/calm']) {
      await page.goto(path);
      // One row: every link and button of the header shares one horizontal band.
      const spread = await page.locator('header.bar').evaluate((bar) => {
        const mids = [...bar.querySelectorAll('a, button')]
          .filter((e) => e.offsetParent)
          .map((e) => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; });
        return Math.max(...mids) - Math.min(...mids);
      });
      expect(spread, `${path}: header items in one row`).toBeLessThan(8);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path}: no sideways scrolling`).toBeLessThanOrEqual(0);
    }
  });
}

test('at 200% zoom on a laptop (640x400 CSS px) and at 320 px, nothing scrolls sideways and Quick exit stays on screen', async ({ page }) => {
  await h.setUp(page);
  for (const [w, hgt] of [[640, 400], [320, 640]]) {
    await page.setViewportSize({ width: w, height: hgt });
    for (const path of ['/', '/help', '/calm', '/calm/breathing?step=1', '/today', '/journal', '/more', '/safety']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} at ${w}: no sideways scrolling`).toBeLessThanOrEqual(0);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const exit = await page.locator('#quick-exit').boundingBox();
      expect(exit.y >= 0 && exit.y + exit.height <= hgt && exit.x + exit.width <= w, `${path} at ${w}: Quick exit on screen`).toBe(true);
    }
  }
});
