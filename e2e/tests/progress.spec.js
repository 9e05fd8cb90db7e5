// Progress (issue 11): the PCL-5 self-check taken by keyboard alone, its result with help
// lines beside it, and zero axe violations on every page, light and dark.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

test('the PCL-5 by keyboard only: note, preview, 20 questions, a result with help lines; axe everywhere', async ({ page }) => {
  test.setTimeout(120_000);
  await h.setUp(page);
  await page.goto('/progress');
  await h.audit(page, 'progress', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('link', { name: 'Look at the self-check' }));
  await expect(page.locator('.notice')).toContainText('some questions mention');
  await h.audit(page, 'pcl5 note', { schemes: true });
  await h.clickAndLoad(page, page.getByRole('link', { name: 'Look at the questions first' }));
  await expect(page.locator('#questions + p + ol li')).toHaveCount(20);
  await h.audit(page, 'pcl5 preview');
  await h.clickAndLoad(page, page.getByRole('link', { name: 'Start (about the past month)' }));
  await h.audit(page, 'pcl5 questions', { schemes: true });

  // Keyboard only: Tab into each group of answers, arrow to the chosen one.
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.name === 'a1')) break;
  }
  for (let n = 1; n <= 20; n++) {
    if (n > 1) await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.name);
    expect(focused, `question ${n} is reached by Tab`).toBe(`a${n}`);
    // Arrow keys move and choose within a radio group; answer n % 5.
    for (let i = 0; i < n % 5; i++) await page.keyboard.press('ArrowRight');
    if (n % 5 === 0) await page.keyboard.press('Space');
  }
  await page.keyboard.press('Tab');
  const loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  await expect(page).toHaveURL(/\/progress\/pcl5\/[0-9a-f]{32}$/);
  // n % 5 for n = 1..20: 1,2,3,4,0 four times: 10 per five, 40 in all.
  await expect(page.locator('.pcl5-total')).toHaveText('Total: 40 out of 80');
  await expect(page.locator('aside.info')).toContainText('Help now');
  await expect(page.locator('#main')).toContainText('This is not a diagnosis');
  await h.audit(page, 'pcl5 result', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/shots/pcl5-result-390-light.png', fullPage: true });
});

test('trends: a line over the check-ins with the table alternative; axe in light and dark', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/today');
  await page.locator('form.checkin input[name="mood"][value="2"]').check();
  await h.clickAndLoad(page, page.locator('form.checkin button[type="submit"]'));
  await page.goto('/progress');
  await h.clickAndLoad(page, page.getByRole('link', { name: /How things have been/ }));
  await expect(page.locator('svg.trend')).toHaveCount(1);
  await expect(page.locator('.trend-panel')).toContainText('The line stayed near');
  await page.getByText('The same as a table').click();
  await expect(page.locator('.trend-panel table tbody tr')).toHaveCount(1);
  await expect(page.locator('.trend-panel table tbody td').nth(1)).toHaveText('Low');
  await h.audit(page, 'trends', { schemes: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/shots/trends-390-light.png' });
});

test('the therapist summary: choose, see the page, and its print view', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/progress/summary');
  await h.audit(page, 'summary choices', { schemes: true });
  await page.locator('#with_pcl5').check();
  await page.locator('#notes').fill('Ask about sleep.');
  await h.clickAndLoad(page, page.getByRole('button', { name: 'See the page' }));
  await expect(page.locator('h1')).toHaveText('For my next session');
  await expect(page.locator('.summary-page')).toContainText('Ask about sleep.');
  await h.audit(page, 'summary page');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.bar')).toBeHidden();
  await expect(page.locator('.no-print').first()).toBeHidden();
  await page.screenshot({ path: 'test-results/shots/summary-print.png', fullPage: true });
});

test('things you enjoy: add one, ten quiet minutes that can stop any time, a note; axe', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/progress/hobbies');
  await h.audit(page, 'hobbies', { schemes: true });
  await page.locator('#name').fill('Growing plants');
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Add' }));
  await h.clickAndLoad(page, page.getByRole('link', { name: 'Ten minutes of this' }));
  await expect(page.locator('[data-timer]')).toHaveAttribute('data-left', /^\d+$/);
  await expect(page.locator('[data-pause]')).toBeVisible();
  await h.audit(page, 'ten minutes', { schemes: true });
  await page.locator('#felt').fill('Calmer, hands in the soil.');
  await h.clickAndLoad(page, page.getByRole('button', { name: "I'm done" }));
  await expect(page.locator('.person-last')).toContainText('Calmer, hands in the soil.');
});

test('auto-lock halfway through the PCL-5: the answers wait on the unlock page and are kept after unlocking', async ({ page }) => {
  await page.clock.install();
  await h.setUp(page);
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2 });
  await page.goto('/progress/pcl5/start');
  for (let n = 1; n <= 20; n++) {
    await page.locator(`input[name="a${n}"][value="${n <= 10 ? 1 : 3}"]`).check();
  }
  await page.clock.fastForward('02:05');
  await expect(page.locator('h1')).toHaveText('Unlock to save your answers', { timeout: 10_000 });
  await h.audit(page, 'unlock to save answers (after auto-lock)', { schemes: true });
  const other = await page.context().newPage();
  await other.goto('/progress');
  await expect(other).toHaveURL(/\/unlock/);
  await other.close();
  await page.locator('#passphrase').fill(h.PASSPHRASE);
  await h.clickAndLoad(page, page.locator('form[action="/progress/pcl5/unlock"] button'));
  await expect(page).toHaveURL(/\/progress\/pcl5\/[0-9a-f]{32}$/);
  // Ten ones and ten threes.
  await expect(page.locator('.pcl5-total')).toHaveText('Total: 40 out of 80');
});
