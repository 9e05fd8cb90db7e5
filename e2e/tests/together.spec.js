// Together (issue 9), its first part: sign-up is closed; the first person makes a one-time
// code; their partner creates their own account with it from the unlock page (keyboard only),
// both see the same safety number, and either can end the link. Every page: zero axe violations in light and dark; screenshots at phone and
// laptop sizes.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test.use({ locale: 'en-GB' });

const SHOTS = path.join(__dirname, '..', 'test-results', 'shots');
const PARTNER_PASS = 'gentle harbour lights at dusk';

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const safetyWords = (page) => page.locator('ol.safety-number li').allTextContents();

test('a partner joins with a code; both see the same safety number; either can end the link', async ({ page, newDevice }) => {
  await h.setUp(page);
  await page.goto('/together');
  await h.audit(page, 'together (not linked)', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Make a code' }));
  const code = (await page.locator('.invitation-code').textContent()).trim();
  expect(code.split(' ')).toHaveLength(8);
  await h.audit(page, 'together (the code)', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'together-code-phone');

  // The partner, keyboard only, from the unlock page: a wrong code first (a calm message,
  // what was typed kept, no account made), then the right one.
  const partnerContext = await newDevice();
  const partner = await partnerContext.newPage();
  await partner.goto('/unlock');
  await h.clickAndLoad(partner, partner.getByRole('link', { name: 'Create an account with an invitation' }));
  await h.audit(partner, 'join (empty)', { schemes: true });
  const fill = async (selector, text) => {
    await partner.locator(selector).focus();
    await partner.keyboard.press('Control+A');
    await partner.keyboard.type(text);
  };
  await fill('#code', 'acorn apple');
  await fill('#name', 'Alex');
  await fill('#passphrase', PARTNER_PASS);
  await fill('#confirm', PARTNER_PASS);
  await Promise.all([partner.waitForNavigation(), partner.keyboard.press('Enter')]);
  await h.expectCalmAlert(partner);
  await expect(partner.locator('#code')).toHaveValue('acorn apple');
  await expect(partner.locator('#name')).toHaveValue('Alex');
  await h.audit(partner, 'join (a code that did not work)', { schemes: true });
  await fill('#code', code.toUpperCase());
  await fill('#passphrase', PARTNER_PASS);
  await fill('#confirm', PARTNER_PASS);
  await Promise.all([partner.waitForNavigation(), partner.keyboard.press('Enter')]);
  await expect(partner.getByRole('heading', { name: 'You are linked' })).toBeVisible();

  await page.goto('/together');
  await expect(page.getByRole('heading', { name: 'You are linked' })).toBeVisible();
  const words = await safetyWords(page);
  expect(words).toHaveLength(16);
  expect(await safetyWords(partner)).toEqual(words);
  await h.audit(page, 'together (linked)', { schemes: true });
  await shot(page, 'together-linked-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, 'together-linked-laptop');

  // The partner ends it (the tick first); then neither is linked.
  await partner.locator('summary', { hasText: 'End the link' }).click();
  await partner.locator('#sure').check();
  await h.clickAndLoad(partner, partner.getByRole('button', { name: 'End the link' }));
  await expect(partner.getByRole('button', { name: 'Make a code' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Make a code' })).toBeVisible();
});
