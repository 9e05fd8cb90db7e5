// Today (issue 3): the check-in by keyboard alone, without JavaScript, kept when the session
// locks (server-side and through the page's own auto-lock), and zero axe violations on every
// Today page in light and dark.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const MAX_TABS = 80;

/** Presses Tab until `matches(document.activeElement)` holds; fails after MAX_TABS presses. */
async function tabTo(page, what, matches) {
  for (let i = 0; i < MAX_TABS; i++) {
    if (await page.evaluate(matches)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

async function pressAndLoad(page, key) {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press(key);
  await loaded;
}

/** Follows these check-in items through Today settings (by mouse; not the point here). */
async function follow(page, items) {
  await page.goto('/today/settings');
  for (const box of await page.locator('input[type="checkbox"][name^="follow_"]').all()) {
    const key = (await box.getAttribute('name')).replace('follow_', '');
    if (items.includes(key)) await box.check();
    else await box.uncheck();
  }
  await h.clickAndLoad(page, page.locator('form[action="/today/settings"] button[type="submit"]'));
  await expect(page).toHaveURL(/\/today\?/);
}

/** Opens "Add or change small things" (it is open already when the list is empty). */
async function openGoalEdit(page) {
  const details = page.locator('details.goal-edit');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
}

function checkinForm(page) {
  return page.locator('form.checkin');
}

/** Once today has a check-in, Today shows it in a line and keeps the form behind "Change
 *  today's check-in" (so small things stay near the top): opens it. */
async function openCheckin(page) {
  const summary = page.locator('details.checkin-edit:not([open]) > summary');
  if (await summary.count()) await summary.click();
  await expect(checkinForm(page)).toBeVisible();
}

/** Ends every session on the server, as an idle expiry would (the browser keeps its cookie). */
// Ends this browser's session on the server the way a person could: from another device,
// Settings → Signed-in devices → Sign out. (The server owns its database and caches session
// rows, so the rows are not deleted behind its back.)
async function signOutFromAnotherDevice(newDevice) {
  const other = await (await newDevice({ javaScriptEnabled: false })).newPage();
  await h.unlock(other);
  await other.goto('/settings/devices');
  const first = other.locator('li.device').filter({ hasNotText: 'this device' }).first();
  await h.clickAndLoad(other, first.locator('button'));
  await expect(other.locator('#main [role="status"]')).toContainText('signed out');
}

test('keyboard only: a whole check-in and a small thing, with Tab, arrows, typing and Enter', async ({ page }) => {
  await h.setUp(page);
  await follow(page, ['sleep']);
  await page.goto('/today');
  await h.audit(page, 'today (new check-in)', { schemes: true });

  // Skip link, then into the check-in: the first answer of "How does today feel?".
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip')).toBeFocused();
  await page.keyboard.press('Enter');
  await tabTo(page, 'the mood answers', () => document.activeElement?.name === 'mood');
  // "Skip" is chosen to begin with; the arrow keys move the choice: Very good, then Good.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('input[name="mood"][value="4"]')).toBeChecked();
  await expect(page.locator('input[name="mood"][value="4"]')).toBeFocused();
  await tabTo(page, 'hours of sleep', () => document.activeElement?.name === 'sleep_hours');
  await page.keyboard.type('7.5');
  await tabTo(page, 'how restful', () => document.activeElement?.name === 'sleep_quality');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('input[name="sleep_quality"][value="5"]')).toBeChecked();
  await tabTo(page, 'the note', () => document.activeElement?.name === 'note');
  await page.keyboard.type('A slow morning, then sun.');
  await tabTo(page, 'Save check-in', () => document.activeElement?.textContent?.trim() === 'Save check-in');
  await pressAndLoad(page, 'Enter');

  await expect(page).toHaveURL(/\/today\?day=\d{4}-\d\d-\d\d&saved=/);
  await expect(page.locator('p.info[role="status"]')).toHaveText('Your check-in is saved.');
  await expect(page.locator('#gentle-h')).toHaveCount(0);
  await expect(page.locator('input[name="mood"][value="4"]')).toBeChecked();
  await expect(page.locator('#sleep_hours')).toHaveValue('7.5');
  const day = page.locator('.day-card').first();
  await expect(day).toContainText('Good');
  await expect(day).toContainText('7.5 hours, restful: very');
  await expect(day).toContainText('A slow morning, then sun.');

  // A small thing: type it, Enter; then tick it with the keyboard.
  await tabTo(page, 'the small-thing field', () => document.activeElement?.id === 'goal-text' || document.activeElement?.tagName === 'SUMMARY');
  if (await page.evaluate(() => document.activeElement.tagName === 'SUMMARY')) {
    if (!(await page.evaluate(() => document.activeElement.parentElement.open))) await page.keyboard.press('Enter');
    await tabTo(page, 'the small-thing field', () => document.activeElement?.id === 'goal-text');
  }
  await page.keyboard.type('Get dressed');
  await pressAndLoad(page, 'Enter');
  const goal = page.locator('button.goal', { hasText: 'Get dressed' });
  await expect(goal).toHaveAttribute('aria-pressed', 'false');
  await page.locator('a.skip').focus();
  await tabTo(page, 'the small thing', () => document.activeElement?.classList.contains('goal'));
  await pressAndLoad(page, 'Space');
  await expect(goal).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.day-card').first()).toContainText('Small things done: Get dressed');
  await h.audit(page, 'today (checked in, a small thing done)', { schemes: true });
});

test('every Today page has zero axe violations in light and dark', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/today/settings');
  await h.audit(page, 'today settings', { schemes: true });
  await follow(page, ['sleep', 'nightmares', 'startle', 'numb', 'touch', 'urge', 'connected']);
  await h.audit(page, 'today, everything followed', { schemes: true });

  // A hard day: the gentle note with calm tools and Help now, never an alarm.
  const form = checkinForm(page);
  await form.locator('input[name="mood"][value="1"]').check();
  await form.locator('input[name="urge"][value="4"]').check();
  await form.locator('#note').fill('Heavy day.');
  await h.clickAndLoad(page, form.locator('button[type="submit"]'));
  const gentle = page.locator('section.gentle');
  await expect(gentle).toContainText('That sounds like a hard day');
  await expect(gentle.locator('a[href="/calm/breathing"]')).toBeVisible();
  await expect(gentle.locator('a[href="/help"]')).toBeVisible();
  await expect(page.locator('section.gentle[role="alert"], section.gentle [role="alert"]')).toHaveCount(0);
  const bg = await gentle.evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g] = bg.match(/\d+/g).map(Number);
  expect(r, `the note is calm, not red (${bg})`).toBeLessThanOrEqual(g);
  await h.audit(page, 'today, hard day', { schemes: true });

  // Bad input: the calm alert, the form as typed.
  await expect(page.locator('.today .panel').first()).toContainText('You checked in today: Very low.');
  await openCheckin(page);
  await form.locator('#sleep_hours').fill('30');
  await form.locator('#note').fill('x'.repeat(2100));
  await h.clickAndLoad(page, form.locator('button[type="submit"]'));
  await h.expectCalmAlert(page);
  await expect(page.locator('#sleep_hours')).toHaveValue('30');
  await expect(page.locator('#note')).toHaveValue('x'.repeat(2100));
  await h.audit(page, 'today with problems', { schemes: true });

  await page.goto('/today');
  const edit = await page.locator('.day-actions a', { hasText: 'Change' }).first().getAttribute('href');
  await page.goto(edit);
  await h.audit(page, 'change a check-in', { schemes: true });
  await page.goto(edit.replace('/edit', '/delete'));
  await h.audit(page, 'delete a check-in', { schemes: true });
  await page.goto('/today/earlier');
  await h.audit(page, 'earlier check-ins', { schemes: true });

  // The goal list, opened.
  await page.goto('/today');
  await page.locator('#goal-text').fill('A short walk');
  await h.clickAndLoad(page, page.locator('form.goal-add button'));
  await openGoalEdit(page);
  await h.audit(page, 'today, changing small things', { schemes: true });
  await page.locator('#goal-text').fill('y'.repeat(201));
  await h.clickAndLoad(page, page.locator('form.goal-add button'));
  await h.expectCalmAlert(page);
  await h.audit(page, 'today, small thing too long', { schemes: true });
});

test('auto-lock while checking in: the page keeps what was typed, and unlocking saves it', async ({ page }) => {
  // The fake clock goes in before the first page loads, so no page's timers can start on the
  // real clock (installing it later races with the page's own script).
  await page.clock.install();
  await h.setUp(page);
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2 });

  await page.goto('/today');
  const form = checkinForm(page);
  await form.locator('input[name="mood"][value="3"]').check();
  await form.locator('#note').fill('Half a thought, still typing…');
  await page.clock.fastForward('02:05');

  await expect(page.locator('h1')).toHaveText('Unlock to save your check-in', { timeout: 10_000 });
  await expect(page.locator('body')).not.toContainText('Half a thought');
  await h.audit(page, 'unlock to save (after auto-lock)', { schemes: true });
  // The session really ended: another tab is locked out.
  const other = await page.context().newPage();
  await other.goto('/today');
  await expect(other).toHaveURL(/\/unlock/);
  await other.close();

  await page.locator('#passphrase').fill('not my passphrase at all');
  await h.clickAndLoad(page, page.locator('form[action="/today/checkin/unlock"] button'));
  await h.expectCalmAlert(page);
  await h.audit(page, 'unlock to save, wrong passphrase', { schemes: true });
  await page.locator('#passphrase').fill(h.PASSPHRASE);
  await h.clickAndLoad(page, page.locator('form[action="/today/checkin/unlock"] button'));
  await expect(page).toHaveURL(/\/today\?day=.*&saved=/);
  await expect(page.locator('#note')).toHaveValue('Half a thought, still typing…');
  await expect(page.locator('input[name="mood"][value="3"]')).toBeChecked();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('check in, change, a small thing, delete; a session that ended keeps the form', async ({ page, newDevice }) => {
    await h.setUp(page);
    await follow(page, ['touch', 'connected']);
    const form = checkinForm(page);
    await form.locator('input[name="touch"][value="ask"]').check();
    await form.locator('input[name="connected"][value="yes"]').check();
    await form.locator('#note').fill('Tea with a friend.');
    await h.clickAndLoad(page, form.locator('button[type="submit"]'));
    await expect(page.locator('p.info[role="status"]')).toHaveText('Your check-in is saved.');
    await expect(page.locator('.day-card').first()).toContainText('Ask me first');

    // An earlier day, by date.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/today?day=${new Date().toISOString().slice(0, 10)}`);
    await openCheckin(page);
    await form.locator('input[name="mood"][value="3"]').check();
    await form.locator('input[name="touch"][value=""]').check();
    await form.locator('input[name="connected"][value=""]').check();
    await form.locator('#note').fill('Filled in a day late.');
    await form.locator('#day').fill(yesterday);
    // Today's check-in was prefilled; moving it keeps one check-in per day.
    await h.clickAndLoad(page, form.locator('button[type="submit"]'));
    await expect(page.locator('p.info[role="status"]')).toContainText('is saved');
    await expect(page.locator('.day-card')).toHaveCount(1);

    // Change it, then delete it (asked once).
    await h.clickAndLoad(page, page.locator('.day-actions a', { hasText: 'Change' }).first());
    await page.locator('#note').fill('Changed without scripts.');
    await h.clickAndLoad(page, page.locator('form.checkin button[type="submit"]'));
    await expect(page.locator('.day-card').first()).toContainText('Changed without scripts.');
    await h.clickAndLoad(page, page.locator('.day-actions a', { hasText: 'Delete' }).first());
    await expect(page.locator('h1')).toHaveText('Delete this check-in?');
    await h.clickAndLoad(page, page.locator('button', { hasText: 'Delete it' }));
    await expect(page.locator('p.info[role="status"]')).toHaveText('That check-in is deleted.');
    await expect(page.locator('.day-card')).toHaveCount(0);

    // A small thing, ticked and unticked, put aside, deleted.
    await page.locator('#goal-text').fill('Drink some water');
    await h.clickAndLoad(page, page.locator('form.goal-add button'));
    const goal = page.locator('button.goal', { hasText: 'Drink some water' });
    await h.clickAndLoad(page, goal);
    await expect(goal).toHaveAttribute('aria-pressed', 'true');
    await h.clickAndLoad(page, goal);
    await expect(goal).toHaveAttribute('aria-pressed', 'false');
    await openGoalEdit(page);
    await h.clickAndLoad(page, page.locator('.goal-list button', { hasText: 'Put aside' }));
    await expect(goal).toHaveCount(0);
    await openGoalEdit(page);
    await h.clickAndLoad(page, page.locator('.goal-list button', { hasText: 'Delete' }));
    await expect(page.locator('.goal-list')).toHaveCount(0);

    // The session ends on the server while the form is open: nothing typed is lost.
    await page.goto('/today');
    await openCheckin(page);
    await form.locator('input[name="mood"][value="5"]').check();
    await form.locator('#note').fill('Written while the session ended.');
    await signOutFromAnotherDevice(newDevice);
    await h.clickAndLoad(page, form.locator('button[type="submit"]'));
    await expect(page.locator('h1')).toHaveText('Unlock to save your check-in');
    await h.audit(page, 'unlock to save (no JavaScript)', { axe: false });
    await page.locator('#passphrase').fill(h.PASSPHRASE);
    await h.clickAndLoad(page, page.locator('form[action="/today/checkin/unlock"] button'));
    await expect(page.locator('#note')).toHaveValue('Written while the session ended.');
    await expect(page.locator('input[name="mood"][value="5"]')).toBeChecked();
  });
});
