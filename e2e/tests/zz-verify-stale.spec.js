// Journal (issue 4): write, find by search, edit and delete an entry with the keyboard only;
// a script payload in every text field stays inert; writing keeps the page unlocked and a
// draft survives a lock; over the size limit the words stay in the form; it all works without
// JavaScript; zero axe violations on every journal page, light and dark.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const vfs = require('node:fs');
const vpath = require('node:path');
test.beforeEach(async ({ page }) => {
  for (const name of ['app', 'journal']) {
    const body = vfs.readFileSync(vpath.join(__dirname, '..', '..', 'crates/trellis-web/static', `${name}.js`));
    await page.route(new RegExp(`/static/${name}\\.[0-9a-f]+\\.js$`), (route) => route.fulfill({ body, contentType: 'text/javascript; charset=utf-8' }));
  }
});


for (const where of ['/journal/new?kind=free', '/settings']) {
  test(`stale token after an unlock in another tab: the idle lock still ends the session (${where})`, async ({ page, context }) => {
    await page.clock.install();
    await h.setUp(page);
    await page.goto('/settings');
    await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2, current: h.PASSPHRASE });
    await page.goto(where);
    const other = await context.newPage();
    await other.goto('/');
    await h.lock(other);
    await h.unlock(other);
    await expect(other).toHaveURL(/\/$/);
    await other.close();
    const statuses = [];
    page.on('response', (r) => { if (new URL(r.url()).pathname === '/lock') statuses.push(r.status()); });
    await page.clock.fastForward('02:05');
    await expect(page).toHaveURL(/\/unlock$/);
    await expect(h.lockButton(page)).toHaveCount(0);
    console.log(where, 'lock statuses', statuses);
    await page.goto('/');
    await expect(page, 'the session really ended').toHaveURL(/\/unlock$/);
  });
}
