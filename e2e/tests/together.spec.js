// Together (issue 9): sign-up is closed; the first person makes a one-time code; their partner
// creates their own account with it from the unlock page (keyboard only), both see the same
// safety number, and either can end the link. The pause: a shared signal, Pause pressed on one
// screen, a calm dialog over the partner's half-written page (nothing typed is touched), "I'm
// ready to talk". Every page: zero axe violations in light and dark; screenshots at phone and
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

/** The partner makes their account with the code, from the unlock page. */
async function join(partner, code) {
  await partner.goto('/together/join');
  await partner.locator('#code').fill(code);
  await partner.locator('#name').fill('Alex');
  await partner.locator('#passphrase').fill(PARTNER_PASS);
  await partner.locator('#confirm').fill(PARTNER_PASS);
  await h.clickAndLoad(partner, partner.getByRole('button', { name: /Create/ }));
  await expect(partner.getByRole('heading', { name: 'You are linked' })).toBeVisible();
}

/** Sets up the first person on `page`; a partner on a new device joins with their code. */
async function linkedPartner(page, newDevice) {
  await h.setUp(page);
  await page.goto('/together');
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Make a code' }));
  const code = (await page.locator('.invitation-code').textContent()).trim();
  const partner = await (await newDevice()).newPage();
  await join(partner, code);
  return partner;
}

test('a pause reaches the partner over a half-written page, and "I\'m ready to talk" ends it', async ({ page, newDevice }) => {
  const partner = await linkedPartner(page, newDevice);

  // The survivor's signal, shared.
  await page.goto('/together');
  await page.getByLabel('Stop and check in').check();
  await page.getByLabel('A safe word or sign (optional)').fill('bluebird');
  await page.getByLabel('Your own words for the card (optional)').fill('Please stop. I am safe, I just need a moment.');
  await page.getByLabel(/Share my pause signal/).check();
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Save my pause signal' }));
  await expect(page.getByRole('status').filter({ hasText: 'Your pause signal is saved.' })).toBeVisible();
  await h.audit(page, 'together (signal saved)', { schemes: true });

  // The partner is half-way through a journal note; its page listens for events.
  await partner.goto('/together');
  await expect(partner.getByText('bluebird')).toBeVisible();
  await h.audit(partner, 'together (partner sees the signal)', { schemes: true });
  await partner.goto('/journal/new?kind=free');
  const note = partner.locator('textarea').first();
  await note.fill('half a sentence, not saved yet');
  await partner.waitForFunction(() => document.body.dataset.events === '/events');

  // Pause, from the header.
  const pressed = Date.now();
  await h.clickAndLoad(page, page.locator('header').getByRole('button', { name: 'Pause' }));
  await expect(page.locator('.pause-words')).toHaveText('Please stop. I am safe, I just need a moment.');
  const dialog = partner.getByRole('dialog', { name: 'Your partner asked for a pause' });
  await expect(dialog).toBeVisible();
  console.log(`pause shown on the partner's page ${Date.now() - pressed} ms after the click`);
  await expect(dialog).toContainText('bluebird');
  await expect(dialog).toContainText('What would help?');
  await expect(dialog.getByRole('button', { name: 'Quick exit' })).toBeVisible();
  await h.expectNoAxeViolationsBothSchemes(partner, 'the pause dialog');
  await partner.setViewportSize({ width: 390, height: 844 });
  await shot(partner, 'together-pause-dialog-phone');
  await h.audit(page, 'pause card', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'together-pause-card-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, 'together-pause-card-laptop');

  // "I'm ready to talk": the partner's dialog says so; Escape closes it; the note is untouched.
  await h.clickAndLoad(page, page.getByRole('button', { name: "I'm ready to talk" }));
  await expect(partner.getByRole('dialog', { name: 'Your partner is ready to talk' })).toBeVisible();
  await partner.keyboard.press('Escape');
  await expect(partner.getByRole('dialog')).toHaveCount(0);
  await expect(note).toHaveValue('half a sentence, not saved yet');

  // Without the event stream, the next page shows a banner to the card.
  await h.clickAndLoad(page, page.locator('header').getByRole('button', { name: 'Pause' }));
  await partner.goto('/today');
  await h.clickAndLoad(partner, partner.getByRole('link', { name: /Your partner asked for a pause/ }));
  await expect(partner.getByRole('heading', { name: 'Your partner asked for a pause' })).toBeVisible();
  await h.audit(partner, 'the partner\'s pause card', { schemes: true });
  await shot(partner, 'together-partner-card-phone');
  await h.clickAndLoad(page, page.getByRole('button', { name: "I'm ready to talk" }));
  // The card's page changes by itself.
  await expect(partner.getByRole('heading', { name: 'No pause right now' })).toBeVisible();

  // What you share: the signal with its date; stopping it; the log.
  await page.goto('/together/shares');
  await expect(page.getByText('Shared since')).toBeVisible();
  await h.audit(page, 'what you share', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Stop sharing' }));
  await expect(page.getByText('You are not sharing anything')).toBeVisible();
  await expect(page.getByText(/stopped sharing: Your pause signal/)).toBeVisible();
  await partner.goto('/together');
  await expect(partner.getByText('bluebird')).toHaveCount(0);

  // Comfort today, shared: the partner reads it on their Together page.
  await page.goto('/together/comfort');
  await page.getByRole('group', { name: 'Holding hands' }).getByLabel('Yes').check();
  await page.getByRole('group', { name: 'A hug' }).getByLabel('Ask me first').check();
  await page.getByRole('group', { name: 'Sexual touch' }).getByLabel('Not today').check();
  await page.getByLabel(/Share with my partner/).check();
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Save', exact: true }));
  await expect(page.getByRole('status').filter({ hasText: 'Your partner sees it now' })).toBeVisible();
  await h.audit(page, 'comfort today', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'together-comfort-phone');
  await partner.goto('/together');
  await expect(partner.getByText('Holding hands: Yes')).toBeVisible();
  await expect(partner.getByText('Kissing: Not set: please ask')).toBeVisible();
  await h.audit(partner, 'together (partner sees comfort)', { schemes: true });
  await shot(partner, 'together-partner-comfort-phone');
});

test('yes, no, maybe: only what both want is shown, the partner answering by keyboard only', async ({ page, newDevice }) => {
  const partner = await linkedPartner(page, newDevice);

  await page.goto('/together/list');
  await h.audit(page, 'yes no maybe (empty)', { schemes: true });
  await page.getByRole('group', { name: 'Holding hands' }).getByLabel('Yes', { exact: true }).check();
  await page.getByRole('group', { name: 'A long hug' }).getByLabel('No', { exact: true }).check();
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Save my answers' }));

  // The partner: focus the first answer of "Holding hands", Space to choose Yes; the same for
  // "A long hug"; then Enter on the save button.
  await partner.goto('/together/list');
  for (const item of ['Holding hands', 'A long hug']) {
    await partner.getByRole('group', { name: item }).getByLabel('Yes', { exact: true }).focus();
    await partner.keyboard.press('Space');
  }
  await partner.getByRole('button', { name: 'Save my answers' }).focus();
  await Promise.all([partner.waitForNavigation(), partner.keyboard.press('Enter')]);
  const both = partner.getByRole('region', { name: 'What you both want' });
  await expect(both).toContainText('Holding hands');
  await expect(both).not.toContainText('A long hug');
  await h.audit(partner, 'yes no maybe (a match)', { schemes: true });
  await partner.setViewportSize({ width: 390, height: 844 });
  await shot(partner, 'together-list-match-phone');
  await page.reload();
  await expect(page.getByRole('region', { name: 'What you both want' })).toContainText('Holding hands');
});

test('trust ladder: a step, a try by keyboard, its strength in words and a table, shared with the partner', async ({ page, newDevice }) => {
  const partner = await linkedPartner(page, newDevice);

  await page.goto('/together/ladder');
  await h.audit(page, 'trust ladder (empty)', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Add “A gentle hug”' }));
  await h.clickAndLoad(page, page.getByRole('link', { name: 'A gentle hug' }));
  // Keyboard only: the ratings, a note, then Enter.
  await page.getByLabel('Comfort you expected (0–100)').focus();
  await page.keyboard.type('30');
  await page.keyboard.press('Tab');
  await page.keyboard.type('20');
  await page.keyboard.press('Tab');
  await page.keyboard.type('55');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Shorter than I feared.');
  await page.getByRole('button', { name: 'Save this try' }).focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await expect(page.getByText('Just beginning')).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Shorter than I feared.');
  await page.getByLabel('What helps with this step (optional)').fill('Let me start it, and let me end it.');
  await page.getByLabel(/Share this step with my partner/).check();
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Save', exact: true }));
  await h.audit(page, 'a step', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'together-step-phone');
  await page.goto('/together/ladder');
  await expect(page.getByRole('img', { name: /How strong each step is/ })).toBeVisible();
  await h.audit(page, 'trust ladder (a step)', { schemes: true });
  await shot(page, 'together-ladder-phone');

  await partner.goto('/together/ladder');
  const theirs = partner.getByRole('region', { name: "Your partner's steps" });
  await expect(theirs).toContainText('A gentle hug: Just beginning (1 try)');
  await expect(theirs).toContainText('Let me start it, and let me end it.');
  await expect(theirs).not.toContainText('Shorter than I feared.');
  await h.audit(partner, 'trust ladder (partner)', { schemes: true });
});

test('the guide for partners reads well before and after unlocking, with its sources', async ({ page }) => {
  await h.setUp(page);
  await h.lock(page);
  await page.goto('/together/join');
  await h.clickAndLoad(page, page.getByRole('link', { name: 'For partners: being there, gently' }));
  await expect(page.getByRole('heading', { name: 'When they ask for a pause' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sources' })).toBeVisible();
  await h.audit(page, 'the guide (locked)', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'together-guide-phone');
});
