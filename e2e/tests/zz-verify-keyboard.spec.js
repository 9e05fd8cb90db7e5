// Keyboard only: unlock with Tab and Enter; the header controls are reachable and show focus.
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

const MAX_TABS = 60;

/** The parts of computed style that can show focus. */
function focusStyle(el) {
  const s = getComputedStyle(el);
  return {
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} ${s.outlineOffset}`,
    outlineVisible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    boxShadow: s.boxShadow,
    border: `${s.borderTopStyle} ${s.borderTopWidth} ${s.borderTopColor}`,
    background: s.backgroundColor,
    textDecoration: s.textDecorationLine,
  };
}

test('keyboard only: unlock with Tab/Enter; Help now, Lock and Quick exit are reachable with a visible focus indicator', async ({ page }) => {
  await h.setUp(page);
  await h.lock(page);

  // A fresh unlock page: Tab until the passphrase field has focus (it may already have it).
  const tab = page;
  await tab.goto('/unlock');
  const isPassphrase = () => document.activeElement && document.activeElement.getAttribute('name') === 'passphrase';
  let reached = await tab.evaluate(isPassphrase);
  for (let i = 0; i < MAX_TABS && !reached; i++) {
    await tab.keyboard.press('Tab');
    reached = await tab.evaluate(isPassphrase);
  }
  expect(reached, 'Tab reaches the passphrase field').toBe(true);
  await tab.keyboard.type(h.PASSPHRASE);
  const loaded = tab.waitForEvent('load');
  await tab.keyboard.press('Enter');
  await loaded;
  await h.expectHome(tab);

  // From home (freshly loaded, nothing focused), Tab through the page and note what gets focus.
  const wanted = { 'Help now': null, Lock: null, 'Quick exit': null };
  for (let i = 0; i < MAX_TABS && Object.values(wanted).some((v) => v === null); i++) {
    await tab.keyboard.press('Tab');
    const active = await tab.evaluateHandle(() => document.activeElement);
    const label = (await active.evaluate((el) => (el.textContent || el.value || '').trim())) || '';
    if (label in wanted && wanted[label] === null) {
      wanted[label] = { handle: active, focused: await active.evaluate(focusStyle), visible: await active.evaluate((el) => el.matches(':focus-visible')) };
    }
  }
  for (const [label, got] of Object.entries(wanted)) {
    expect(got, `Tab reaches "${label}" on home`).not.toBeNull();
  }
  // Compare each control's style with focus against without.
  await tab.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  await tab.mouse.move(0, 0);
  for (const [label, got] of Object.entries(wanted)) {
    const unfocused = await got.handle.evaluate(focusStyle);
    const f = got.focused;
    const indicator =
      (f.outlineVisible && (!unfocused.outlineVisible || f.outline !== unfocused.outline)) ||
      f.boxShadow !== unfocused.boxShadow ||
      f.border !== unfocused.border;
    expect(got.visible, `"${label}" matches :focus-visible after Tab`).toBe(true);
    expect(
      indicator,
      `"${label}" shows a visible focus indicator (outline/box-shadow/border change).\nfocused:   ${JSON.stringify(f)}\nunfocused: ${JSON.stringify(unfocused)}`,
    ).toBe(true);
  }
});
