// Journal (issue 4): write, find by search, edit and delete an entry with the keyboard only;
// a script payload in every text field stays inert; writing keeps the page unlocked and a
// draft survives a lock; over the size limit the words stay in the form; it all works without
// JavaScript; zero axe violations on every journal page, light and dark.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const MAX_TABS = 80;

/** Presses Tab until `matches(document.activeElement)` holds; fails if it never does. */
async function tabTo(page, what, matches) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(matches)) return;
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}

const focusedIs = (selector) => new Function(`return !!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)});`);
const focusedText = (text) => new Function(`const el = document.activeElement; return !!el && (el.textContent || '').trim() === ${JSON.stringify(text)};`);

/** Presses Enter on the focused control and waits for the next page. */
async function enterAndLoad(page) {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
}

test('keyboard only: write an entry, find it by search, edit it, delete it; axe on every page, light and dark', async ({ page }) => {
  await h.setUp(page);
  await expect(page.locator('a.tile[href="/journal"]')).toBeVisible();
  await page.goto('/journal');
  await h.audit(page, 'journal, empty', { schemes: true });
  await expect(page.getByText('Nothing here yet')).toBeVisible();

  await tabTo(page, 'Write something', focusedText('Write something'));
  await enterAndLoad(page);
  await expect(page).toHaveURL(/\/journal\/new$/);
  await h.audit(page, 'choose a kind', { schemes: true });

  await tabTo(page, 'A kinder thought', focusedIs('a.card[href="/journal/new?kind=kinder_thought"]'));
  await enterAndLoad(page);
  await expect(page.locator('h1')).toHaveText('A kinder thought');
  await h.audit(page, 'entry form', { schemes: true });

  await tabTo(page, 'the harsh thought box', focusedIs('#f-harsh'));
  await page.keyboard.type('I always mess up at the lighthouse job');
  await tabTo(page, 'the kinder box', focusedIs('#f-kinder'));
  await page.keyboard.type('I am learning, and learning takes time');
  await tabTo(page, 'the mood choice', focusedIs('input[name="mood"]'));
  // "Rather not say" comes last and is chosen to begin with (as "Skip" is on Today): the
  // arrow keys go round to "Very low", then "Low".
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('label.pill:has(input[name="mood"]:checked)')).toHaveText('Low');
  await tabTo(page, 'tags', focusedIs('#tags'));
  await page.keyboard.type('work, evening');
  await tabTo(page, 'Save', focusedText('Save'));
  await enterAndLoad(page);
  await expect(page).toHaveURL(/\/journal\/[0-9a-f]{32}\?saved$/);
  await expect(page.locator('[role="status"]').first()).toHaveText('Saved.');
  await expect(page.getByText('I am learning, and learning takes time')).toBeVisible();
  await expect(page.getByText('Mood:')).toBeVisible();
  await h.audit(page, 'entry saved', { schemes: true });
  const entryUrl = new URL(page.url()).pathname;

  // Find it by search.
  await page.goto('/journal');
  await h.audit(page, 'journal with an entry', { schemes: true });
  await tabTo(page, 'the search box', focusedIs('#q'));
  await page.keyboard.type('LIGHTHOUSE');
  await enterAndLoad(page);
  await expect(page.getByText('Found in 1 entry.')).toBeVisible();
  await expect(page.locator(`.entry-card a[href="${entryUrl}"]`)).toHaveCount(1);
  await h.audit(page, 'search results', { schemes: true });
  await page.goto('/journal?q=nothing-like-this');
  await expect(page.getByText('Nothing matched')).toBeVisible();
  await h.audit(page, 'search without results');

  // Edit it.
  await page.goto('/journal?q=lighthouse');
  await tabTo(page, 'the entry', focusedIs(`a[href="${entryUrl}"]`));
  await enterAndLoad(page);
  await tabTo(page, 'Edit', focusedText('Edit'));
  await enterAndLoad(page);
  await expect(page).toHaveURL(new RegExp(`${entryUrl}/edit$`));
  await h.audit(page, 'edit form', { schemes: true });
  await tabTo(page, 'the kinder box', focusedIs('#f-kinder'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('I did my best today');
  await tabTo(page, 'Save', focusedText('Save'));
  await enterAndLoad(page);
  await expect(page.getByText('I did my best today')).toBeVisible();
  await expect(page.getByText('learning takes time')).toHaveCount(0);

  // Delete it: asked once.
  await tabTo(page, 'Delete', focusedText('Delete'));
  await enterAndLoad(page);
  await expect(page.locator('h1')).toHaveText('Delete this entry?');
  await h.audit(page, 'delete confirmation', { schemes: true });
  await tabTo(page, 'Delete this entry', focusedText('Delete this entry'));
  await enterAndLoad(page);
  await expect(page).toHaveURL(/\/journal\?deleted$/);
  await expect(page.getByText('The entry was deleted.')).toBeVisible();
  await expect(page.locator('.entry-card')).toHaveCount(0);
  const gone = await page.goto(entryUrl);
  expect(gone.status()).toBe(404);

  // Journal settings, from settings.
  await page.goto('/settings');
  await page.locator('a[href="/journal/settings"]').click();
  await h.audit(page, 'journal settings', { schemes: true });
  await page.locator('#resurface').check();
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Save' }));
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.locator('#resurface')).toBeChecked();
});

test('a script payload in every text field stays inert: shown as text on every page', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await h.setUp(page);
  const payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2; alert(2)">';
  const tagPayload = '<b onmouseover=alert(3)>x</b>';
  const kinds = ['free', 'good_moments', 'did_well', 'qualities', 'kinder_thought', 'reaction', 'mindful'];
  const ids = [];
  for (const kind of kinds) {
    await page.goto(`/journal/new?kind=${kind}`);
    for (const box of await page.locator('textarea').all()) await box.fill(payload);
    await page.locator('#tags').fill(`${tagPayload}, plain`);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Save' }));
    await expect(page).toHaveURL(/\?saved$/);
    ids.push(new URL(page.url()).pathname);
  }
  const pages = ['/journal', '/journal?q=pwned', `/journal?q=${encodeURIComponent(payload)}`];
  for (const id of ids) pages.push(id, `${id}/edit`, `${id}/delete`);
  for (const p of pages) {
    await page.goto(p);
    await page.waitForTimeout(50);
    expect(await page.evaluate(() => window.__pwned), `${p}: the payload ran`).toBeUndefined();
    // (The page's own autosave script, with a src, is the only script allowed in main.)
    expect(await page.locator('main script:not([src]), main img, main b').count(), `${p}: markup from the text became elements`).toBe(0);
  }
  await page.goto(ids[0]);
  await expect(page.locator('.entry-text').first()).toHaveText(payload);
  await page.goto(`${ids[0]}/edit`);
  await expect(page.locator('textarea').first()).toHaveValue(payload);
  await expect(page.locator('#tags')).toHaveValue(`${tagPayload}, plain`);
  await page.goto(`/journal?q=${encodeURIComponent(payload)}`);
  await expect(page.locator('#q')).toHaveValue(payload);
  await expect(page.getByText(`Found in ${kinds.length} entries.`)).toBeVisible();
  expect(dialogs, 'no alert ever opened').toEqual([]);
});

test('writing keeps the page unlocked; the draft is kept sealed and survives a lock', async ({ page }) => {
  // The fake clock goes in before the first page loads, so no page's timers can start on the
  // real clock (installing it later races with the page's own script).
  await page.clock.install();
  await h.setUp(page);
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2 });

  await page.goto('/journal/new?kind=free');
  await expect(page.locator('body')).toHaveAttribute('data-idle-seconds', '0');
  await expect(page.locator('form[data-draft]')).toHaveAttribute('data-idle-seconds', '120');
  await expect(page.locator('.autosave-hint')).toBeVisible();
  const locks = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/lock') locks.push(r.method());
  });
  const box = page.locator('#f-text');
  await box.click();
  // Three minutes of writing, a little every 40 seconds: longer than the auto-lock. The page's
  // lock covers it at once (before any request), so the overlay shows a lock that started.
  for (let i = 0; i < 5; i++) {
    const saved = page.waitForResponse((r) => r.url().endsWith('/journal/draft') && r.status() === 204);
    await page.keyboard.type(`line ${i}. `);
    await page.clock.fastForward('00:06');
    await saved;
    await page.clock.fastForward('00:34');
    await expect(page.locator('.exit-overlay'), 'still writing, never locked').toHaveCount(0);
    await expect(page).toHaveURL(/\/journal\/new\?kind=free$/);
  }
  expect(locks, 'no lock was sent while writing').toEqual([]);
  await expect(page.locator('#draft-status')).toHaveText('Kept as you type.');

  // A few seconds of typing that no timer has sent yet, then quiet: the page locks itself,
  // sending those words first. The lock request is held until the page is checked: it must
  // not be leaving for the unlock page yet. (Asked for before the lock lands, the unlock page
  // finds the session still open and sends the person on to the unlocked home page.)
  await page.evaluate(() => {
    window.leavingBeforeLock = false;
    window.navigation.addEventListener('navigate', () => { window.leavingBeforeLock = true; });
  });
  let lockArrived;
  const lockHeld = new Promise((resolve) => { lockArrived = resolve; });
  await page.route((url) => url.pathname === '/lock', (route) => lockArrived(route), { times: 1 });
  await page.keyboard.type('the last words');
  await page.clock.fastForward('01:05');
  const lock = await lockHeld;
  expect(await page.evaluate(() => window.leavingBeforeLock), 'the page waits for the lock before it leaves').toBe(false);
  await expect(page.locator('.exit-overlay'), 'the words are out of sight at once').toHaveCount(1);
  await lock.continue();
  await expect(page).toHaveURL(/\/unlock$/);
  expect(locks).toEqual(['POST']);
  await page.clock.resume();
  await page.goto('/journal');
  await expect(page, 'the server agrees it is locked').toHaveURL(/\/unlock/);

  await h.unlock(page);
  await page.goto('/journal');
  await expect(page.getByText('Still writing')).toBeVisible();
  await h.audit(page, 'journal with an unfinished draft');
  await page.locator('a[href="/journal/new?kind=free"]').click();
  await expect(page.getByText('We kept what you were writing.')).toBeVisible();
  await expect(page.locator('#f-text')).toHaveValue(/line 0\. line 1\. .*line 4\. the last words/);
  await h.audit(page, 'form with a restored draft', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Save' }));
  await page.goto('/journal');
  await expect(page.getByText('Still writing')).toHaveCount(0);
});

test('closing the tab keeps what was typed a moment ago', async ({ page, context }) => {
  await h.setUp(page);
  await page.goto('/journal/new?kind=mindful');
  await page.locator('#f-text').fill('The sound of rain on the window');
  // Closed before any timer sent it: only the page-hide beacon can keep it.
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await expect
    .poll(async () => {
      await again.goto('/journal/new?kind=mindful');
      return again.locator('#f-text').inputValue();
    }, { timeout: 10_000 })
    .toBe('The sound of rain on the window');
});

test('over the size limit: a calm message and every word kept in the form', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/journal/new?kind=free');
  const long = `Start. ${'a'.repeat(20_000)}`;
  await page.locator('#f-text').fill(long);
  await page.getByRole('button', { name: 'Save' }).click();
  const alert = await h.expectCalmAlert(page);
  expect(alert).toContain('20,000');
  await expect(page).toHaveURL(/\/journal\/new\?kind=free$/);
  await expect(page.locator('#f-text')).toHaveValue(long);
  await h.audit(page, 'form over the limit');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('write, search, edit, delete and a calm 400 with the words kept', async ({ page }) => {
    await h.setUp(page);
    await page.goto('/journal/new?kind=good_moments');
    await expect(page.locator('.autosave-hint')).toBeHidden();
    await page.locator('#f-moment1').fill('Warm bread from the market');
    await page.locator('#f-moment2').fill('A walk by the river');
    await page.locator('#tags').fill('Saturday');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Save' }));
    await expect(page.getByText('Saved.')).toBeVisible();
    const entry = new URL(page.url()).pathname;

    await page.goto('/journal');
    await page.locator('#q').fill('BREAD');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Find' }));
    await expect(page.getByText('Found in 1 entry.')).toBeVisible();
    await page.goto('/journal?tag=saturday');
    await expect(page.locator(`a[href="${entry}"]`)).toHaveCount(1);

    await page.goto(`${entry}/edit`);
    const long = `Kept words. ${'b'.repeat(20_000)}`;
    await page.locator('#f-moment3').fill(long);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Save' }));
    await h.expectCalmAlert(page);
    await expect(page.locator('#f-moment3')).toHaveValue(long);
    await expect(page.locator('#f-moment1')).toHaveValue('Warm bread from the market');
    await h.expectNeutral(page); // (axe needs JavaScript; the same page is audited with it above)
    await page.locator('#f-moment3').fill('Sun on my face');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Save' }));
    await expect(page.getByText('Sun on my face')).toBeVisible();

    await page.goto(`${entry}/delete`);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Delete this entry' }));
    await expect(page.getByText('The entry was deleted.')).toBeVisible();
  });
});
