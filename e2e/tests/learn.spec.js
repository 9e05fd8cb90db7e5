// Learn and Therapy (issue 12): the articles and the therapy guide read while locked and with no
// connection; session notes written, changed and deleted by keyboard; zero axe violations, light
// and dark, on phone and desktop sizes.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test('Learn and the therapy guide read locked, with contents, a content note and sources; then offline', async ({ page, context }) => {
  await h.setUp(page);
  await h.lock(page);
  await page.goto('/learn');
  await expect(page.locator('h1')).toHaveText('Learn');
  await h.audit(page, 'learn, locked', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('link', { name: 'Flashbacks, and what can help in the moment' }));
  await expect(page.locator('.content-note')).toContainText('flashbacks');
  await expect(page.locator('.toc li').first()).toBeVisible();
  await expect(page.locator('.sources li').first()).toBeVisible();
  await expect(page.locator('[data-print]')).toBeVisible();
  await h.audit(page, 'learn article', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/shots/learn-article-390.png', fullPage: true });
  // The contents jump to a section.
  const first = page.locator('.toc a').first();
  const target = (await first.getAttribute('href')).slice(1);
  await first.click();
  await expect(page).toHaveURL(new RegExp(`#${target}$`));
  await page.goto('/therapy');
  await expect(page.locator('h1')).toHaveText('Therapy and groups');
  await expect(page.locator('a[href="/therapy/notes"]')).toHaveCount(0);
  await h.audit(page, 'therapy, locked', { schemes: true });
  await page.locator('details.country-help summary').first().click();
  await h.audit(page, 'therapy, a country open');
  await h.clickAndLoad(page, page.getByRole('link', { name: /Cognitive processing therapy/ }));
  await expect(page.locator('p.info')).toContainText('12');
  await h.audit(page, 'therapy guide page', { schemes: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: 'test-results/shots/therapy-cpt-1280.png', fullPage: true });

  // Offline, once the service worker has kept them.
  await page.goto('/learn');
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!reg.active || navigator.serviceWorker.controller === null) return false;
    return !!(await caches.match('/learn/whose-responsibility')) && !!(await caches.match('/therapy/pe'));
  });
  await context.setOffline(true);
  await page.goto('/learn/whose-responsibility');
  await expect(page.locator('h1')).toContainText('responsib');
  await page.goto('/therapy/pe');
  await expect(page.locator('h1')).toContainText('(PE)');
  await context.setOffline(false);
});

test('session notes by keyboard: a new note, a calm problem with words kept, a change, a deletion; axe', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/therapy');
  await h.clickAndLoad(page, page.getByRole('link', { name: 'Your session notes' }));
  await h.audit(page, 'session notes, empty', { schemes: true });
  await page.locator('#bring_up').focus();
  await page.keyboard.type('How the nights have been');
  await page.keyboard.press('Tab'); // to the next box
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  // The feeling scale: arrow from Skip to 6.
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  const loaded = page.waitForEvent('load');
  await page.locator('form[action="/therapy/notes"] button[type="submit"]').focus();
  await page.keyboard.press('Enter');
  await loaded;
  await expect(page.locator('p.info[role="status"]')).toHaveText('Your note is saved.');
  await expect(page.locator('.notes-list')).toContainText('How the nights have been');
  await expect(page.locator('.notes-list')).toContainText('out of 10');
  await h.audit(page, 'session notes, one', { schemes: true });

  // Change it: a box too long gives a calm problem with every word kept.
  await h.clickAndLoad(page, page.locator('.notes-list a', { hasText: 'Change' }).first());
  await page.locator('#noticed').fill('n'.repeat(2001));
  await page.locator('#noticed').evaluate((el) => el.removeAttribute('maxlength'));
  await page.locator('#noticed').fill('n'.repeat(2001));
  await h.clickAndLoad(page, page.locator('form[action^="/therapy/notes/"] button[type="submit"]'));
  await h.expectCalmAlert(page);
  await expect(page.locator('#bring_up')).toHaveValue('How the nights have been');
  await h.audit(page, 'session note, too long');
  await page.locator('#noticed').fill('I said what I needed');
  await h.clickAndLoad(page, page.locator('form[action^="/therapy/notes/"] button[type="submit"]'));
  await expect(page.locator('.notes-list')).toContainText('I said what I needed');

  await h.clickAndLoad(page, page.locator('.notes-list a', { hasText: 'Delete' }).first());
  await h.audit(page, 'delete a session note');
  await h.clickAndLoad(page, page.locator('button.danger'));
  await expect(page.locator('p.info[role="status"]')).toHaveText('That note is deleted.');
  await expect(page.locator('.notes-list')).toHaveCount(0);
});

test('recovery is off until turned on; then an urge by keyboard leads to help now, how it went, and a use note changed and deleted; axe', async ({ page }) => {
  await h.setUp(page);
  await expect(page.locator('a[href="/recovery"]')).toHaveCount(0);
  await page.goto('/more');
  await expect(page.locator('a[href="/recovery"]')).toHaveCount(0);
  await page.goto('/settings');
  const box = page.locator('#show_recovery');
  await expect(box).not.toBeChecked();
  await box.focus();
  await page.keyboard.press('Space');
  await h.clickAndLoad(page, page.locator('form[action="/settings/areas"] button[type="submit"]'));
  await page.goto('/');
  await h.clickAndLoad(page, page.locator('a.tile[href="/recovery"]'));
  await expect(page.locator('h1')).toHaveText('Recovery');
  await h.audit(page, 'recovery', { schemes: true });

  // An urge by keyboard: the scale (Skip, then 0…10: seven steps right is 6), then words.
  await page.locator('input[name="strength"][value=""]').focus();
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await page.locator('#what').focus();
  await page.keyboard.type('after the phone call');
  await page.locator('form[action="/recovery/urges"] button[type="submit"]').focus();
  let loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  await expect(page.locator('h1')).toHaveText('Noted. Here is what can help now');
  await expect(page.locator('a[href="/calm/three-breaths"]')).toBeVisible();
  await h.audit(page, 'an urge, help now', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/shots/recovery-urge-390.png', fullPage: true });
  await page.locator('input[name="outcome"][value="rode_out"]').focus();
  await page.keyboard.press('Space');
  await h.clickAndLoad(page, page.locator('form[action^="/recovery/urges/"] button[type="submit"]').first());
  await expect(page.locator('p.info[role="status"]')).toHaveText('Saved.');
  await expect(page.locator('#main')).toContainText('Urges that passed, over time');
  await expect(page.locator('.notes-list').first()).toContainText('6 out of 10');

  // A use note, changed, then deleted.
  await page.locator('details.panel summary', { hasText: 'Note use' }).click();
  await page.locator('#use-what').fill('wine');
  await page.locator('#use-amount').fill('two glasses');
  await h.clickAndLoad(page, page.locator('form[action="/recovery/uses"] button[type="submit"]'));
  await expect(page.locator('#main')).toContainText('wine, two glasses');
  await h.clickAndLoad(page, page.locator('a[href^="/recovery/uses/"]').first());
  await h.audit(page, 'change a use note');
  await page.locator('#use-amount').fill('one glass');
  await h.clickAndLoad(page, page.locator('form[action^="/recovery/uses/"]:not([action$="/delete"]) button[type="submit"]'));
  await expect(page.locator('#main')).toContainText('wine, one glass');
  await h.clickAndLoad(page, page.locator('a[href^="/recovery/uses/"]').first());
  await h.clickAndLoad(page, page.locator('form[action$="/delete"] button.danger'));
  await expect(page.locator('p.info[role="status"]')).toHaveText('Deleted.');
  await expect(page.locator('#main')).not.toContainText('one glass');
});
