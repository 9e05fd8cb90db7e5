// Together (issue 9), its first part: two people on one Trellis link their accounts with a
// one-time code, see the same safety number, and either can end the link. The partner uses the
// keyboard only. Every page: zero axe violations in light and dark; screenshots at phone and
// laptop sizes.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test.use({ locale: 'en-GB', trellisEnv: { TRELLIS_OPEN_SIGNUP: 'true' } });

const SHOTS = path.join(__dirname, '..', 'test-results', 'shots');
const PARTNER_PASS = 'gentle harbour lights at dusk';

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Sets up a named account on this (open sign-up) Trellis and lands on home. */
async function setUpNamed(page, name, passphrase) {
  await page.goto('/setup');
  const form = h.formWith(page, 'confirm');
  await form.locator('[name="name"]').fill(name);
  await form.locator('[name="passphrase"]').fill(passphrase);
  await form.locator('[name="confirm"]').fill(passphrase);
  const box = form.locator('[name="recovery"]');
  if ((await box.count()) > 0) await box.uncheck();
  await h.clickAndLoad(page, h.submitButton(form));
  await h.expectHome(page);
}

const safetyWords = (page) => page.locator('ol.safety-number li').allTextContents();

test('a code links two people who see the same safety number; either can end it', async ({ page, newDevice }) => {
  await setUpNamed(page, 'Sam', h.PASSPHRASE);
  const partnerContext = await newDevice();
  const partner = await partnerContext.newPage();
  await setUpNamed(partner, 'Alex', PARTNER_PASS);

  await page.goto('/together');
  await h.audit(page, 'together (not linked)', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Make a code' }));
  const code = (await page.locator('.invitation-code').textContent()).trim();
  expect(code.split(' ')).toHaveLength(8);
  await h.audit(page, 'together (the code)', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'together-code-phone');

  // The partner, keyboard only: a wrong code first (a calm message, the code kept), then the right one.
  await partner.goto('/together');
  const field = partner.locator('#code');
  await field.focus();
  await partner.keyboard.type('acorn apple');
  await Promise.all([partner.waitForNavigation(), partner.keyboard.press('Enter')]);
  await h.expectCalmAlert(partner);
  await expect(partner.locator('#code')).toHaveValue('acorn apple');
  await h.audit(partner, 'together (a code that did not work)', { schemes: true });
  await partner.locator('#code').focus();
  await partner.keyboard.press('Control+A');
  await partner.keyboard.type(code.toUpperCase());
  await Promise.all([partner.waitForNavigation(), partner.keyboard.press('Enter')]);
  await expect(partner.getByRole('heading', { name: 'You are linked' })).toBeVisible();

  await page.goto('/together');
  await expect(page.getByRole('heading', { name: 'You are linked' })).toBeVisible();
  const words = await safetyWords(page);
  expect(words).toHaveLength(8);
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
