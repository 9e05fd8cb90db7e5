// Help now: works with no account and while locked; country from the browser language or chosen.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test.use({ locale: 'en-GB' });

async function expectTelLinksHaveText(page) {
  const links = page.locator('a[href^="tel:"]');
  const n = await links.count();
  expect(n, 'at least one tel: link').toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const link = links.nth(i);
    await expect(link).toBeVisible();
    const text = (await link.innerText()).trim();
    const href = await link.getAttribute('href');
    expect(text.length, `tel: link ${href} has visible text`).toBeGreaterThan(0);
  }
}

async function expectLastChecked(page) {
  await expect(page.locator('#main')).toContainText(/\bchecked\b/i);
  const text = await page.locator('#main').innerText();
  expect(text, 'a "checked" date').toMatch(/\bchecked\s*(on\s*)?(\d{4}-\d{2}-\d{2}|\d{1,2} \w+ \d{4}|\w+ \d{1,2},? \d{4})/i);
}

test('Help now without an account: en-GB shows UK lines; choosing Australia shows Lifeline; tel links have text', async ({ page }) => {
  const response = await page.goto('/help');
  expect(response.status()).toBe(200);
  await expect(page).toHaveURL(/\/help$/);
  const select = page.locator('select[name="country"]');
  await expect(select).toBeVisible();
  await expect(page.locator('#main')).toContainText('116 123');
  await expectTelLinksHaveText(page);
  await expectLastChecked(page);
  await h.audit(page, 'help (en-GB)', { schemes: true });

  // Choose another country with the form (GET ?country=AU).
  await select.selectOption('AU');
  await h.clickAndLoad(page, page.locator('form', { has: select }).locator('button'));
  await expect(page).toHaveURL(/\/help\?country=AU$/);
  await expect(page.locator('#main')).toContainText('13 11 14');
  await expectTelLinksHaveText(page);
  await expectLastChecked(page);
  await h.audit(page, 'help (AU)', { schemes: true });

  // A direct link works too.
  await page.goto('/help?country=AU');
  await expect(page.locator('#main')).toContainText('13 11 14');
});

test('Help now while locked: reachable without unlocking, and says nothing about the notes', async ({ page }) => {
  await h.setUp(page);
  await h.lock(page);
  await page.locator('a.help-now').first().click();
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.locator('#main')).toContainText('116 123');
  await expect(h.lockButton(page)).toHaveCount(0);
  await h.audit(page, 'help while locked');
});
