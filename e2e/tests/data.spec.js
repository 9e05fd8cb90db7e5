// Your data (issue 11): the export is downloaded in one Trellis and brought into a fresh account
// in a second one, where the words are back; both pages pass axe.
'use strict';

const fs = require('fs');
const { test, expect } = require('../lib/fixtures');
const { startTrellis } = require('../lib/servers');
const h = require('../lib/helpers');

const FILE_PASS = 'a long file passphrase of mine';

test('export downloaded here, imported into a fresh account in a second Trellis', async ({ page, browser, neutral }, testInfo) => {
  test.setTimeout(120_000);
  await h.setUp(page);
  await page.goto('/journal/new?kind=free');
  await page.locator('#f-text').fill('Words that travel with me');
  await h.clickAndLoad(page, page.locator('main form[method="post"] button[type="submit"]').first());
  await page.goto('/settings/export');
  await h.audit(page, 'export', { schemes: true });
  await page.locator('#export-current').fill(h.PASSPHRASE);
  await page.locator('#export-passphrase').fill(FILE_PASS);
  await page.locator('#export-confirm').fill(FILE_PASS);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save the file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('trellis-export.age');
  const file = testInfo.outputPath('trellis-export.age');
  await download.saveAs(file);
  expect(fs.readFileSync(file).subarray(0, 21).toString()).toBe('age-encryption.org/v1');

  const other = await startTrellis({ exitUrl: neutral.url });
  try {
    const context = await browser.newContext({ baseURL: other.origin });
    const second = await context.newPage();
    await h.setUp(second);
    await second.goto('/settings/import');
    await h.audit(second, 'import', { schemes: true });
    await second.locator('#import-file').setInputFiles(file);
    await second.locator('#import-passphrase').fill(FILE_PASS);
    await h.clickAndLoad(second, second.getByRole('button', { name: 'Bring it in' }));
    await second.goto('/journal');
    await expect(second.locator('#main')).toContainText('Words that travel with me');
    await context.close();
  } finally {
    await other.stop();
  }
});
