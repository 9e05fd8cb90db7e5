// Safety and Support (issue 4): boundaries with their history, the safety plan (help lines
// offered, a plain print view), trusted contacts with call/text links (also on Help now while
// unlocked), the support network and its opt-in nudge. None of these asks for the passphrase
// again.
// Every page: neutral title/URL, safe autocomplete, zero axe violations in light and dark.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test.use({ locale: 'en-GB' });

const SHOTS = path.join(__dirname, '..', 'test-results', 'shots');

// Payloads that would run, or change the page, if they were ever treated as markup.
const PAYLOADS = [
  '<script>window.__pwned = 1</script>',
  '"><img src=x onerror="window.__pwned = 1">',
  "<svg onload=\"window.__pwned = 1\"></svg>'",
];

/** Fills the form posting to `action` (a text value, `true` to tick, or a radio's value) and submits. */
async function submitForm(page, action, fields) {
  const form = page.locator(`form[action="${action}"]`).first();
  await expect(form, `a form posting to ${action} on ${page.url()}`).toHaveCount(1);
  for (const [name, value] of Object.entries(fields)) {
    const all = form.locator(`[name="${name}"]`);
    const field = all.first();
    const type = await field.evaluate((el) => (el.tagName === 'SELECT' ? 'select' : (el.getAttribute('type') || el.tagName).toLowerCase()));
    if (type === 'select') await field.selectOption(String(value));
    else if (type === 'checkbox') await (value ? field.check() : field.uncheck());
    else if (type === 'radio') await form.locator(`[name="${name}"][value="${value}"]`).check();
    else await field.fill(String(value));
  }
  await h.clickAndLoad(page, h.submitButton(form));
}

/** Nothing injected ran or became an element. */
async function expectInert(page, label) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned === 1,
    injected: document.querySelectorAll('main script, main img, main svg, main [onerror], main [onload]').length,
  }));
  expect(state.pwned, `${label}: a payload ran`).toBe(false);
  expect(state.injected, `${label}: a payload became an element`).toBe(0);
}

/** Presses Tab until `predicate(activeElement)` holds (at most 80 presses). */
async function tabTo(page, description, predicate, arg) {
  for (let i = 0; i < 80; i++) {
    if (await page.evaluate(predicate, arg)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${description} on ${page.url()}`);
}
const focusedName = (name) => document.activeElement && document.activeElement.getAttribute('name') === name;
const focusedText = (text) => document.activeElement && (document.activeElement.textContent || '').trim() === text;

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

test('boundaries: add, change with dated history, own group, delete; every page passes axe in light and dark', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await h.setUp(page);
  await page.goto('/');
  await h.clickAndLoad(page, page.locator('a.tile[href="/safety"]'));
  await h.audit(page, 'safety overview', { schemes: true });
  await h.clickAndLoad(page, page.locator('a.card[href="/safety/boundaries"]'));
  await expect(page.locator('h2')).toContainText(['Personal space', "Topics I'm not ready to discuss", 'Touch', 'How I want people to communicate with me']);
  await h.audit(page, 'boundaries (empty)', { schemes: true });

  // Too long: a calm message, the text kept.
  const long = 'Please give me room. '.repeat(50);
  await page.locator('#text').evaluate((el) => el.removeAttribute('maxlength'));
  await submitForm(page, '/safety/boundaries#add', { text: long, group: 'topics' });
  const alert = await h.expectCalmAlert(page);
  expect(alert).toContain('1,000 characters');
  await expect(page.locator('#text')).toHaveValue(long);
  await h.audit(page, 'boundaries (too long)', { schemes: true });

  await submitForm(page, '/safety/boundaries#add', { text: 'Ask before hugging me', group: 'touch', state: 'firm' });
  await expect(page.locator('.boundary')).toContainText('Ask before hugging me');
  await expect(page.locator('.boundary .state')).toHaveText('Firm');

  await h.clickAndLoad(page, page.locator('.boundary a', { hasText: 'View or change' }));
  await expect(page.locator('#main')).toContainText('This is the first version');
  await submitForm(page, `${new URL(page.url()).pathname}#change-h`, { text: 'Hugs from my sister are okay', state: 'revisiting' });
  await expect(page).toHaveURL(/\?saved#main$/);
  await expect(page.locator('#main [role="status"]')).toContainText('Saved');
  const history = page.locator('ol.history > li');
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toContainText('Hugs from my sister are okay');
  await expect(history.nth(1)).toContainText('Ask before hugging me');
  await expect(history.nth(1)).toContainText('Firm');
  await h.audit(page, 'a boundary with history', { schemes: true });

  // Scripts typed into both fields stay text.
  await page.goto('/safety/boundaries');
  for (const p of PAYLOADS) {
    await submitForm(page, '/safety/boundaries#add', { text: p, new_group: `Group ${p}`.slice(0, 60) });
  }
  await page.goto('/safety/boundaries');
  for (const p of PAYLOADS) await expect(page.locator('#main')).toContainText(p);
  await expectInert(page, 'boundaries with payloads');
  await h.audit(page, 'boundaries (full)', { schemes: true });
  await h.clickAndLoad(page, page.locator('.boundary', { hasText: PAYLOADS[1] }).locator('a'));
  await expectInert(page, 'one boundary with a payload');

  // Delete asks once.
  await h.clickAndLoad(page, page.locator('a', { hasText: 'Delete this boundary' }));
  await h.audit(page, 'delete a boundary', { schemes: true });
  await h.clickAndLoad(page, page.locator('button', { hasText: 'Delete boundary' }));
  await expect(page).toHaveURL(/\/safety\/boundaries$/);
  await expect(page.locator('.boundary')).toHaveCount(1 + PAYLOADS.length - 1);
  expect(dialogs, 'no dialog opened').toBe(0);
});

test('safety plan: saved without the passphrase again, help lines offered; print view is plain with the header and quick exit hidden', async ({ page }, testInfo) => {
  await h.setUp(page);
  await page.goto('/safety/plan');
  await h.audit(page, 'plan (empty)', { schemes: true });
  await h.clickAndLoad(page, page.locator('a', { hasText: 'Start my plan' }));
  await expect(page.locator('#add_lines')).toBeChecked();
  await expect(page.locator('#lines_country')).toHaveValue('GB');
  await h.audit(page, 'plan edit', { schemes: true });
  await expect(page.locator('input[type="password"]'), 'no passphrase asked').toHaveCount(0);

  const parts = {
    signs: 'Not sleeping\nPulling away from people',
    on_my_own: 'Five senses exercise\nA warm shower',
    people_places: 'The park near home',
    ask_for_help: 'My sister',
    professionals: 'My counsellor on Tuesdays',
    surroundings: 'Ask my sister to keep my medicines for a while',
  };
  await submitForm(page, '/safety/plan', parts);
  await expect(page).toHaveURL(/\/safety\/plan\?saved$/);
  await expect(page.locator('#main [role="status"]')).toContainText('saved');
  await expect(page.locator('#main')).toContainText('Pulling away from people');
  await expect(page.locator('#main')).toContainText('Samaritans');
  await h.audit(page, 'plan (saved)', { schemes: true });

  await h.clickAndLoad(page, page.locator('a', { hasText: 'Print view' }));
  await h.audit(page, 'plan print view (screen)', { schemes: true });
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['header.bar', '#quick-exit', 'a.help-now', '.exit-hint', 'footer.foot', '.no-print']) {
    await expect(page.locator(sel).first(), `${sel} is hidden in print`).toBeHidden();
  }
  await expect(page.locator('.plan-print h1')).toBeVisible();
  await expect(page.locator('.plan-print')).toContainText('1. Signs that a hard time is coming');
  await expect(page.locator('.plan-print')).toContainText('Ask my sister to keep my medicines');
  const printed = await page.screenshot({ fullPage: true });
  await testInfo.attach('plan-print.png', { body: printed, contentType: 'image/png' });
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, 'plan-print.png'), printed);
  const colours = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { bg: s.backgroundColor, fg: s.color };
  });
  expect(colours, 'print is black on white').toEqual({ bg: 'rgb(255, 255, 255)', fg: 'rgb(0, 0, 0)' });
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('#quick-exit')).toBeVisible();

  // Scripts in every part stay text, on the plan, the form and the print view.
  await page.goto('/safety/plan/edit');
  const evil = Object.fromEntries(Object.keys(parts).map((k) => [k, PAYLOADS.join('\n')]));
  await submitForm(page, '/safety/plan', { ...evil, add_lines: false });
  for (const p of ['/safety/plan', '/safety/plan/edit', '/safety/plan/print']) {
    await page.goto(p);
    await expect(page.locator('#main')).toContainText(PAYLOADS[0]);
    await expectInert(page, p);
  }
});

test('trusted contacts: call and text links, no passphrase asked again, shown in the plan and on Help now only while unlocked', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/safety/contacts');
  await h.audit(page, 'contacts (empty)', { schemes: true });
  await expect(page.locator('input[type="password"]'), 'no passphrase asked').toHaveCount(0);
  // A note alone is refused calmly and kept.
  await submitForm(page, '/safety/contacts#add-contact', { name: '', phone: '', note: 'Evenings are best' });
  const alert = await h.expectCalmAlert(page);
  expect(alert).toContain('a name or a number');
  await expect(page.locator('#note')).toHaveValue('Evenings are best');
  await h.audit(page, 'contacts (nothing to call)', { schemes: true });
  await submitForm(page, '/safety/contacts#add-contact', { name: 'Ana', phone: '+44 (0)7700 900-123' });
  await expect(page.locator('.person')).toContainText('+44 (0)7700 900-123');
  await expect(page.locator('.person a[href="tel:+447700900123"]')).toHaveText(/Call/);
  await expect(page.locator('.person a[href="sms:+447700900123"]')).toHaveText(/Text/);
  await h.audit(page, 'contacts', { schemes: true });

  await h.clickAndLoad(page, page.locator('a', { hasText: 'Change or remove' }));
  await h.audit(page, 'contact edit', { schemes: true });
  await expect(page.locator('input[type="password"]'), 'no passphrase asked').toHaveCount(0);

  await page.goto('/safety/plan');
  await expect(page.locator('#main a[href="tel:+447700900123"]')).toBeVisible();
  await page.goto('/help');
  await expect(page.locator('#your-people')).toBeVisible();
  await expect(page.locator('.person a[href="sms:+447700900123"]')).toBeVisible();
  await h.audit(page, 'help with your people', { schemes: true });

  await h.lock(page);
  await page.goto('/help');
  await expect(page.locator('#main')).toContainText('116 123');
  await expect(page.locator('#your-people')).toHaveCount(0);
  await expect(page.locator('#main')).not.toContainText('Ana');

  // Payloads in every contact field stay text everywhere they are shown.
  await h.unlock(page);
  await page.goto('/safety/contacts');
  for (const p of PAYLOADS) {
    await submitForm(page, '/safety/contacts#add-contact', { name: p, phone: p.slice(0, 40), note: p });
  }
  for (const p of ['/safety/contacts', '/safety/plan', '/safety/plan/print', '/help']) {
    await page.goto(p);
    await expect(page.locator('#main')).toContainText(PAYLOADS[2]);
    await expectInert(page, p);
  }
});

test('support: people by kind, "I was in touch today", the nudge only when chosen and due, never a count', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/support');
  await h.audit(page, 'support (empty)', { schemes: true });
  await submitForm(page, '/support/people#add-person', { kind: 'professional', name: 'Dr Ade', reach: '01632 960001', last_connected: '2020-01-15', note: 'Tuesdays' });
  await submitForm(page, '/support/people#add-person', { kind: 'group_member', name: '', reach: 'Thursday group at the library' });
  await expect(page.locator('#professional')).toHaveText('Professionals');
  await expect(page.locator('.person', { hasText: 'Dr Ade' })).toContainText('Last in touch: 15 January 2020');
  await expect(page.locator('.nudge')).toHaveCount(0);
  await h.audit(page, 'support', { schemes: true });

  // A date still to come (the browser's own check lifted, as in an older browser): calm, kept.
  await page.locator('#last_connected').evaluate((el) => el.removeAttribute('max'));
  await submitForm(page, '/support/people#add-person', { name: 'Kit', last_connected: '2999-01-01' });
  await h.expectCalmAlert(page);
  await expect(page.locator('#name')).toHaveValue('Kit');
  await h.audit(page, 'support (future date)', { schemes: true });

  await page.goto('/settings');
  await h.clickAndLoad(page, page.locator('a[href="/support/settings"]'));
  await h.audit(page, 'support settings', { schemes: true });
  await submitForm(page, '/support/settings', { nudge: true, days: '14' });
  await expect(page.locator('#main [role="status"]')).toContainText('14 quiet days');
  await page.goto('/support');
  const nudge = page.locator('.nudge');
  await expect(nudge).toContainText("It's been a little while");
  expect(await nudge.innerText()).not.toMatch(/\d/);
  await h.audit(page, 'support with the nudge', { schemes: true });

  await h.clickAndLoad(page, page.locator('.person', { hasText: 'Dr Ade' }).locator('button', { hasText: 'I was in touch today' }));
  await expect(page.locator('.person', { hasText: 'Dr Ade' })).toContainText('Last in touch: today');
  await expect(page.locator('.nudge')).toHaveCount(0);

  await h.clickAndLoad(page, page.locator('.person', { hasText: 'Dr Ade' }).locator('a', { hasText: 'Change' }));
  await h.audit(page, 'support person edit', { schemes: true });
  await h.clickAndLoad(page, page.locator('button', { hasText: 'Remove' }));
  await expect(page.locator('.person', { hasText: 'Dr Ade' })).toHaveCount(0);

  for (const p of PAYLOADS) await submitForm(page, '/support/people#add-person', { name: p, reach: p, note: p });
  await page.goto('/support');
  await expect(page.locator('#main')).toContainText(PAYLOADS[1]);
  await expectInert(page, 'support with payloads');
});

test('keyboard only: add a boundary, save the plan and a contact with Tab, typing, Space and Enter', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/safety/boundaries');
  await tabTo(page, 'the boundary text', focusedName, 'text');
  await page.keyboard.type('Knock before coming in');
  await tabTo(page, 'the state "firm"', () => document.activeElement && document.activeElement.getAttribute('name') === 'state');
  // Tab lands on the chosen radio ("for now"); the arrow keys move the choice to "firm".
  await expect(page.locator('#state-for_now')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('#state-firm')).toBeChecked();
  await tabTo(page, 'Save boundary', focusedText, 'Save boundary');
  let loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  await expect(page.locator('.boundary')).toContainText('Knock before coming in');
  await expect(page.locator('.boundary .state')).toHaveText('Firm');

  await page.goto('/safety/plan/edit');
  await tabTo(page, 'the first part', focusedName, 'signs');
  await page.keyboard.type('Snapping at people');
  await tabTo(page, 'the help-lines tick box', focusedName, 'add_lines');
  await page.keyboard.press('Space');
  await expect(page.locator('#add_lines')).not.toBeChecked();
  await tabTo(page, 'Save my plan', focusedText, 'Save my plan');
  loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  await expect(page).toHaveURL(/\/safety\/plan\?saved$/);
  await expect(page.locator('#main')).toContainText('Snapping at people');

  await page.goto('/safety/contacts');
  await tabTo(page, 'the name', focusedName, 'name');
  await page.keyboard.type('Jo');
  await page.keyboard.press('Tab');
  await page.keyboard.type('07700 900456');
  await tabTo(page, 'Add contact', focusedText, 'Add contact');
  loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  const call = page.locator('a[href="tel:07700900456"]');
  await expect(call).toBeVisible();
  // The call link is reachable by Tab and shows focus.
  await tabTo(page, 'the Call link', () => document.activeElement && document.activeElement.getAttribute('href') === 'tel:07700900456');
  expect(await call.evaluate((el) => el.matches(':focus-visible'))).toBe(true);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('boundaries, the plan, contacts and support all work with plain forms', async ({ page }) => {
    await h.setUp(page);
    await page.goto('/safety/boundaries');
    await submitForm(page, '/safety/boundaries#add', { text: 'No surprise visits', group: 'personal_space' });
    await expect(page.locator('.boundary')).toContainText('No surprise visits');
    await page.goto('/safety/plan/edit');
    await submitForm(page, '/safety/plan', { on_my_own: 'Feet on the floor' });
    await expect(page.locator('#main')).toContainText('Feet on the floor');
    await page.goto('/safety/contacts');
    await submitForm(page, '/safety/contacts#add-contact', { name: 'Jo', phone: '07700 900456' });
    await expect(page.locator('a[href="sms:07700900456"]')).toBeVisible();
    await page.goto('/support');
    await submitForm(page, '/support/people#add-person', { name: 'Mum' });
    await h.clickAndLoad(page, page.locator('button', { hasText: 'I was in touch today' }));
    await expect(page.locator('.person')).toContainText('Last in touch: today');
  });
});

// Every Safety and Support page, full of data, reflows at 400 px wide (as at 200% zoom): no
// sideways scrolling, in light and dark. With SAFETY_SHOTS=1 it also saves screenshots for a
// person to look at.
test('every Safety and Support page reflows at 400 px with real data, light and dark', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/safety/boundaries');
  await submitForm(page, '/safety/boundaries#add', { text: 'Ask before hugging me', group: 'touch', state: 'firm' });
  await submitForm(page, '/safety/boundaries#add', { text: 'Not talking about my family for now', group: 'topics' });
  await submitForm(page, '/safety/boundaries#add', { text: 'Text before calling', new_group: 'Work', state: 'revisiting' });
  await h.clickAndLoad(page, page.locator('.boundary', { hasText: 'Ask before' }).locator('a'));
  const boundaryUrl = page.url();
  await submitForm(page, `${new URL(boundaryUrl).pathname}#change-h`, { text: 'Hugs from my sister are okay', state: 'revisiting' });
  await page.goto('/safety/contacts');
  await submitForm(page, '/safety/contacts#add-contact', { name: 'Ana', phone: '+44 (0)7700 900-123', note: 'Evenings are best' });
  await page.goto('/safety/plan/edit');
  await submitForm(page, '/safety/plan', { signs: 'Not sleeping\nPulling away', on_my_own: 'Five senses\nWarm shower' });
  await page.goto('/support');
  await submitForm(page, '/support/people#add-person', { kind: 'professional', name: 'Dr Ade', reach: '01632 960001', last_connected: '2020-01-15' });
  await page.goto('/support/settings');
  await submitForm(page, '/support/settings', { nudge: true, days: '14' });
  const pages = {
    'safety': '/safety',
    'boundaries': '/safety/boundaries',
    'boundary': boundaryUrl,
    'plan': '/safety/plan',
    'plan-edit': '/safety/plan/edit',
    'plan-print': '/safety/plan/print',
    'contacts': '/safety/contacts',
    'support': '/support',
    'support-settings': '/support/settings',
    'help': '/help',
  };
  for (const [name, url] of Object.entries(pages)) {
    for (const scheme of ['light', 'dark']) {
      for (const width of [1000, 400]) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(url);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} at ${width}px (${scheme}) scrolls sideways`).toBeLessThanOrEqual(0);
        if (process.env.SAFETY_SHOTS) await shot(page, `${name}-${scheme}-${width}`);
      }
    }
  }
});
