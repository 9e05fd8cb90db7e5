// Quick exit: by button, by Shift ×3, and without JavaScript.
// Each must leave for the neutral site, leave no app content behind the back button, and lock.
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

const HOLD_NEUTRAL_MS = 700;

/**
 * Installs in-page probes that report to the test (through a binding, so the report survives
 * the navigation that follows): the time of the trigger (a click on #quick-exit, or the third
 * Shift keydown) and the time the page first looks blank (an .exit-overlay shown, or body/html
 * hidden, or every child of body hidden).
 */
async function installProbes(page) {
  const reports = [];
  await page.exposeBinding('__exitProbeReport', (_source, report) => {
    reports.push(report);
  });
  await page.evaluate(() => {
    const w = window;
    const probe = { trigger: null, blank: null, shifts: 0 };
    const shown = (el) => {
      if (!el) return false;
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0;
    };
    const hidden = (el) => {
      if (!el) return false;
      const s = getComputedStyle(el);
      return s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0;
    };
    const blank = () =>
      shown(document.querySelector('.exit-overlay')) ||
      hidden(document.body) ||
      hidden(document.documentElement) ||
      [...document.body.children].every((c) => !shown(c));
    const check = () => {
      if (probe.blank === null && probe.trigger !== null && blank()) {
        probe.blank = performance.now();
        w.__exitProbeReport({ trigger: probe.trigger, blank: probe.blank, title: document.title });
      }
    };
    new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Shift' && !e.repeat && ++probe.shifts === 3 && probe.trigger === null) probe.trigger = performance.now();
      },
      true,
    );
    window.addEventListener(
      'click',
      (e) => {
        if (e.target.closest && e.target.closest('#quick-exit') && probe.trigger === null) probe.trigger = performance.now();
      },
      true,
    );
  });
  return reports;
}

/** Holds requests to the neutral site for a moment so the blanked app page can be observed. */
async function holdNeutral(page, neutral) {
  await page.route(`${neutral.origin}/**`, async (route) => {
    await new Promise((r) => setTimeout(r, HOLD_NEUTRAL_MS));
    await route.continue();
  });
}

async function homeLines(page) {
  const text = await page.locator('#main').innerText();
  return text.split('\n').map((l) => l.trim()).filter((l) => l.length >= 12);
}

/** After leaving: the neutral page; back shows no app content; the session is locked. */
async function expectLeftAndLocked(page, app, neutral, lines) {
  await page.waitForURL(neutral.url, { timeout: 10_000 });
  await expect(page).toHaveTitle('Weather');

  // The lock (beacon or POST /exit) answered with Clear-Site-Data: no session cookie is left,
  // checked before anything goes back to the app (which would also clear a dead cookie).
  await expect
    .poll(async () => (await page.context().cookies(app.origin)).map((c) => c.name), {
      message: 'no session cookie left after quick exit',
      timeout: 5_000,
    })
    .not.toContain('__Host-s');

  await page.goBack({ waitUntil: 'load' }).catch(() => null);
  await page.waitForLoadState('load');
  const url = page.url();
  const body = url === 'about:blank' ? '' : await page.locator('body').innerText();
  for (const line of lines) {
    expect(body.includes(line), `after Back (${url}) the page still shows home text "${line}"`).toBe(false);
  }
  if (url.startsWith(app.origin)) await expect(h.lockButton(page), `no Lock button after Back at ${url}`).toHaveCount(0);

  await page.goto(app.url('/'));
  await expect(page, 'the session is locked after quick exit').toHaveURL(/\/unlock$/);
}

test('quick exit by button: blanks at once, goes to the neutral page, Back shows nothing, locked', async ({ page, app, neutral }) => {
  await h.setUp(page);
  await page.goto('/settings');
  await page.goto('/');
  await h.expectHome(page);
  const lines = await homeLines(page);
  await expect(page.locator('form.quick-exit')).toHaveAttribute('data-exit-url', neutral.url);

  const reports = await installProbes(page);
  await holdNeutral(page, neutral);
  await page.locator('#quick-exit').click({ noWaitAfter: true });
  await expect.poll(() => reports.length, { timeout: HOLD_NEUTRAL_MS }).toBeGreaterThan(0).catch(() => null);
  const probe = reports[0] || null;
  expect(probe && probe.blank, 'the page blanks (an .exit-overlay or hidden body) before the neutral page loads').not.toBeNull();
  expect(probe.blank - probe.trigger, 'blank within 100 ms of the click').toBeLessThanOrEqual(100);

  await expectLeftAndLocked(page, app, neutral, lines);
});

test('quick exit by Shift ×3: blanks at once, goes to the neutral page, Back shows nothing, locked', async ({ page, app, neutral }) => {
  await h.setUp(page);
  await page.goto('/settings');
  await page.goto('/');
  await h.expectHome(page);
  const lines = await homeLines(page);

  const reports = await installProbes(page);
  await holdNeutral(page, neutral);
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  await expect.poll(() => reports.length, { timeout: HOLD_NEUTRAL_MS }).toBeGreaterThan(0).catch(() => null);
  const probe = reports[0] || null;
  expect(probe && probe.blank, 'the page blanks (an .exit-overlay or hidden body) before the neutral page loads').not.toBeNull();
  expect(probe.blank - probe.trigger, 'blank within 100 ms of the third Shift').toBeLessThanOrEqual(100);

  await expectLeftAndLocked(page, app, neutral, lines);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('quick exit button posts /exit: neutral page, Back shows nothing, locked', async ({ page, app, neutral }) => {
    await h.setUp(page);
    const lines = await homeLines(page);
    const logs = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    await page.locator('#quick-exit').click();
    await page.waitForURL(neutral.url, { timeout: 5_000 }).catch(() => {
      throw new Error(
        `POST /exit did not reach the neutral page; still at ${page.url()}.\nBrowser console:\n  ${logs.join('\n  ')}`,
      );
    });
    await expectLeftAndLocked(page, app, neutral, lines);
  });
});
