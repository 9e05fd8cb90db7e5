// Settings: display name, auto-lock, devices, passphrase change across devices, delete, 404.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test('settings: name "Sam" shows in the title; auto-lock 5, then 9, without the passphrase again; devices lists this device', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/settings');
  await h.audit(page, 'settings');

  await h.submitSettingsForm(page, '/settings/name', { display_name: 'Sam' });
  await expect(page).toHaveTitle(/Sam/);
  await page.goto('/');
  await expect(page).toHaveTitle(/Sam/);

  await page.goto('/settings');
  const autolock = page.locator('form[action="/settings/autolock"]');
  await expect(autolock.locator('input[type="password"]'), 'no passphrase asked').toHaveCount(0);
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 5 });
  await expect(page.locator('[role="alert"]')).toHaveCount(0);
  await expect(page.locator('#main [role="status"]')).toContainText('5 quiet minutes');
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-idle-seconds', '300');

  // Another time is just as simple.
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 9 });
  await h.audit(page, 'settings (auto-lock saved)');
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-idle-seconds', '540');

  await page.goto('/settings/devices');
  await h.audit(page, 'devices');
  const devices = page.locator('#main li');
  await expect(devices.filter({ hasText: 'Chrome on Linux' })).toHaveCount(1);
  await expect(devices.filter({ hasText: /this device/i })).toHaveCount(1);
});

test('idle auto-lock: with 2 minutes set, the page moves itself to /unlock after 2 quiet minutes', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2 });
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-idle-seconds', '120');

  // Client behaviour only: fake the page's clock, load home, let two quiet minutes pass.
  await page.clock.install();
  await page.goto('/');
  await h.expectHome(page);
  await page.clock.fastForward('01:30');
  await expect(page, 'not locked before the time').toHaveURL(/\/$/);
  await page.clock.fastForward('00:35');
  await expect(page).toHaveURL(/\/unlock$/, { timeout: 10_000 });
  await page.goto('/');
  await expect(page, 'the server agrees the session is over').toHaveURL(/\/unlock$/);
});

test('typing keeps the page unlocked: the timer restarts and the server is told', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2 });
  await page.clock.install();
  await page.goto('/settings');
  const keepalives = [];
  page.on('request', (r) => { if (r.url().endsWith('/keepalive')) keepalives.push(r.method()); });
  // Type a little every 90 seconds for six minutes: three times the auto-lock time.
  for (let i = 0; i < 4; i += 1) {
    await page.clock.fastForward('01:30');
    await page.locator('#display_name').pressSequentially('ab');
  }
  await expect(page, 'still on the page while typing').toHaveURL(/\/settings$/);
  expect(keepalives.length, 'the server was told the person is active').toBeGreaterThan(0);
  expect(keepalives.every((m) => m === 'POST')).toBe(true);
  // Then two quiet minutes: it locks.
  await page.clock.fastForward('02:05');
  await expect(page).toHaveURL(/\/unlock$/, { timeout: 10_000 });
});

test('two devices: a passphrase change on one ends the other', async ({ page, newDevice }) => {
  await h.setUp(page);

  const other = await (await newDevice()).newPage();
  await other.goto('/');
  await expect(other).toHaveURL(/\/unlock$/);
  await h.unlock(other);
  await h.expectHome(other);

  await page.goto('/settings/devices');
  await expect(page.locator('#main li.device, #main li').filter({ hasText: 'Chrome on Linux' })).toHaveCount(2);

  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/passphrase', {
    current: h.PASSPHRASE,
    passphrase: h.NEW_PASSPHRASE,
    confirm: h.NEW_PASSPHRASE,
  });
  await expect(page.locator('[role="alert"]')).toHaveCount(0);

  // This device stays unlocked; the other is signed out.
  await page.goto('/');
  await h.expectHome(page);
  await other.goto('/settings');
  await expect(other).toHaveURL(/\/unlock$/);

  // The old passphrase no longer opens; the new one does.
  await h.unlock(other, h.PASSPHRASE);
  await expect(other).toHaveURL(/\/unlock$/);
  await h.unlock(other, h.NEW_PASSPHRASE);
  await h.expectHome(other);
});

test('delete everything: confirmation page, then back to the start', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/settings/delete');
  await h.audit(page, 'delete confirmation');

  await h.submitSettingsForm(page, '/settings/delete', { current: 'not my passphrase at all' });
  await h.expectCalmAlert(page);
  await page.goto('/');
  await h.expectHome(page);

  await page.goto('/settings/delete');
  await h.submitSettingsForm(page, '/settings/delete', { current: h.PASSPHRASE });
  await expect(h.lockButton(page)).toHaveCount(0);
  await h.audit(page, 'deleted');
  await page.goto('/');
  await expect(page).toHaveURL(/\/welcome$/);
});

test('an unknown address gets a calm 404 page with Help now and Quick exit', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response.status()).toBe(404);
  await expect(page.locator('a.help-now').first()).toBeVisible();
  await expect(page.locator('#quick-exit')).toBeVisible();
  await h.audit(page, '404 page');

  await h.setUp(page);
  const again = await page.goto('/no-such-page');
  expect(again.status()).toBe(404);
  await h.audit(page, '404 page while unlocked');
});
