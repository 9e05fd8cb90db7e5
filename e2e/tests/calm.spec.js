// Calm now: every tool completed by keyboard alone; every tool without JavaScript; the lock
// screen reaches the tools without unlocking; the calm pages and Help now open offline after one
// visit; reduced motion turns the breathing animation into text; read-aloud where the browser has
// it; the optional ratings and "what has helped you"; zero axe violations on every calm page.
'use strict';

const { test, expect } = require('../lib/fixtures');
const h = require('../lib/helpers');

const TOOLS = [
  { key: 'senses', name: '5-4-3-2-1 senses', steps: 5, short: 3 },
  { key: 'breathing', name: 'Paced breathing', steps: 1, short: 1 },
  { key: 'three-breaths', name: 'Three slow breaths', steps: 5, short: 3 },
  { key: 'feet', name: 'Feet on the floor', steps: 5, short: 3 },
  { key: 'body-scan', name: 'Short body scan', steps: 7, short: 4 },
  { key: 'kindness', name: 'Kindness to yourself', steps: 6, short: 2 },
  { key: 'movement', name: 'Gentle movement', steps: 7, short: 4 },
];

/** The focused element's text (links and buttons) or its name and value (inputs). */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return `${el.tagName}:${el.name || el.id}:${el.value}`;
    return (el.textContent || '').replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab until the focused element's text matches `re`. */
async function tabTo(page, re, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (re.test(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${re} on ${page.url()}`);
}

/** Presses a key and waits for the next page to load. */
async function pressAndLoad(page, key = 'Enter') {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press(key);
  await loaded;
}

/** Every axe rule on every calm page; both colour schemes when asked. */
async function auditCalm(page, label, schemes = false) {
  await h.audit(page, label, { schemes });
}

/** From a step page, walks to the end by keyboard alone (Tab + Enter), auditing each page. */
async function finishByKeyboard(page, tool, { audit = true, type = false } = {}) {
  for (let i = 0; i < 12; i++) {
    if (/step=end/.test(page.url())) return;
    await expect(page.locator('h1')).toBeVisible();
    if (audit) await auditCalm(page, `${tool.key} ${new URL(page.url()).search}`);
    if (type && (await page.locator('textarea#noticed').count())) {
      await tabTo(page, /^TEXTAREA:noticed:/);
      await page.keyboard.type('a blue mug');
      await expect(page.locator('textarea#noticed')).toHaveValue('a blue mug');
    }
    if (await page.getByRole('button', { name: 'Start breathing' }).count()) {
      await tabTo(page, /^Start breathing$/);
    } else {
      await tabTo(page, /^(Next|Finish)$/);
    }
    await pressAndLoad(page);
  }
  throw new Error(`${tool.key} did not end`);
}

test('every tool, full and shorter, is completed by keyboard alone, with zero axe violations on every page', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/calm');
  await auditCalm(page, 'calm list', true);
  for (const tool of TOOLS) {
    for (const short of [false, true]) {
      // A tile leads to the tool's introduction, where the full or shorter version starts.
      await page.goto('/calm');
      await tabTo(page, new RegExp(`^${tool.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
      await pressAndLoad(page);
      await expect(page).toHaveURL(new RegExp(`/calm/${tool.key}$`));
      await tabTo(page, short ? /^Shorter version$/ : /^Start$/);
      await pressAndLoad(page);
      await expect(page).toHaveURL(new RegExp(`/calm/${tool.key}\\?step=1${short ? '&short=1' : ''}$`));
      const count = short ? tool.short : tool.steps;
      if (count > 1) await expect(page.locator('.calm-progress')).toHaveText(`Step 1 of ${count}`);
      else await expect(page.locator('.calm-progress')).toHaveCount(0);
      await finishByKeyboard(page, tool, { type: tool.key === 'senses' && !short });
      await expect(page.locator('h1')).toHaveText("That's the end of this one");
      await expect(page.locator('#main')).toContainText('Nothing from this was saved');
      await auditCalm(page, `${tool.key} end`);
    }
    // The introduction, with its note and choices.
    await page.goto(`/calm/${tool.key}`);
    await expect(page.locator('.calm-note')).toContainText('Before you start');
    await auditCalm(page, `${tool.key} introduction`);
  }
});

test('body scan: any part can be skipped by keyboard; Stop here ends gently', async ({ page }) => {
  await page.goto('/calm/body-scan?step=2');
  await expect(page.locator('h1')).toHaveText('Feet');
  await tabTo(page, /^Skip this part$/);
  await pressAndLoad(page);
  await expect(page.locator('h1')).toHaveText('Legs');
  await tabTo(page, /^Stop here$/);
  await pressAndLoad(page);
  await expect(page.locator('h1')).toHaveText('You stopped here');
  await expect(page.locator('#main')).toContainText("That's completely okay");
  await auditCalm(page, 'stopped', true);
});

test('paced breathing starts at once with the circle in the first screen; the rhythm can be changed, with a calm message out of range, kept as typed', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/calm/breathing?step=1');
  await expect(page.locator('.pacer-phase')).toHaveText('Breathe in');
  const circle = await page.locator('.pacer-stage').boundingBox();
  expect(circle.y + circle.height, 'the circle is inside the first screen').toBeLessThanOrEqual(844);
  await expect(page.locator('#inhale')).toBeHidden();
  await page.locator('summary', { hasText: 'Change the rhythm' }).click();
  await expect(page.locator('#inhale')).toHaveValue('4');
  await expect(page.locator('#exhale')).toHaveValue('6');
  await page.locator('#inhale').fill('99');
  await page.locator('#exhale').fill('8');
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Breathe with this rhythm' }));
  expect(new URL(page.url()).searchParams.get('inhale')).toBe('99');
  const alert = await h.expectCalmAlert(page);
  expect(alert).toContain('we used 12');
  await expect(page.locator('#inhale')).toHaveValue('99');
  await expect(page.locator('#exhale')).toHaveValue('8');
  await auditCalm(page, 'breathing with a calm message', true);

  await page.locator('#inhale').fill('5');
  await page.locator('#hold').fill('2');
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Breathe with this rhythm' }));
  await expect(page.locator('.pacer-count')).toContainText('Breathe in: 1, 2, 3, 4, 5');
  await expect(page.locator('.pacer-count')).toContainText('Pause: 1, 2');
  await expect(page.locator('.pacer-count')).toContainText('Breathe out: 1, 2, 3, 4, 5, 6, 7, 8');
  await expect(page.locator('.pacer-summary')).toContainText('About 4 breaths a minute');
  await auditCalm(page, 'breathing pacer', true);
});

test('the breathing circle follows the rhythm; with reduced motion it is text only', async ({ page }) => {
  await page.goto('/calm/breathing?step=1');
  const circle = page.locator('.pacer-circle');
  await expect(circle).toBeVisible();
  await expect(page.locator('.pacer-phase')).toHaveText('Breathe in');
  const scale = () => circle.evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
  const first = await scale();
  // Wait for the condition (a loaded machine may paint late), never for a fixed time.
  await expect
    .poll(scale, { message: 'the circle grows while breathing in', timeout: 10000 })
    .toBeGreaterThan(first + 0.05);

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.reload();
  await expect(page.locator('.pacer-stage')).toBeHidden();
  await expect(page.locator('.pacer-phase')).toHaveText('Breathe in');
  await expect(page.locator('.pacer-number')).toHaveText('1');
  await expect(page.locator('.pacer-number')).toHaveText('2', { timeout: 3000 });
  await expect(page.locator('.pacer-phase')).toHaveText('Breathe out', { timeout: 6000 });
  await expect(page.locator('.pacer-count')).toContainText('Breathe in: 1, 2, 3, 4');
  await auditCalm(page, 'breathing, reduced motion');

  // Pause and resume by keyboard.
  await tabTo(page, /^Pause$/);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-pause]')).toHaveText('Resume');
  const held = await page.locator('.pacer-number').textContent();
  await page.waitForTimeout(2200);
  await expect(page.locator('.pacer-number')).toHaveText(held);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-pause]')).toHaveText('Pause');
  await expect(page.locator('.pacer-number')).not.toHaveText(held, { timeout: 3000 });
});

test('a step timer can be paused and resumed; read aloud uses the browser voice where it exists', async ({ page }) => {
  await page.addInitScript(() => {
    window.__spoken = [];
    if ('speechSynthesis' in window) {
      window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
      window.speechSynthesis.cancel = () => {};
    }
  });
  await page.goto('/calm/feet?step=2');
  // No countdown is shown (it can read as a test); the time left is kept quietly.
  const timer = page.locator('[data-timer]');
  await expect(timer).toHaveAttribute('data-left', /^\d+$/);
  await expect(timer).toHaveText('');
  await tabTo(page, /^Pause$/);
  await page.keyboard.press('Enter');
  const held = await timer.getAttribute('data-left');
  await page.waitForTimeout(2200);
  await expect(timer).toHaveAttribute('data-left', held);
  await page.keyboard.press('Enter');
  await expect(timer).not.toHaveAttribute('data-left', held, { timeout: 3000 });

  const read = page.getByRole('button', { name: 'Read aloud' });
  await expect(read).toBeVisible();
  await read.click();
  const spoken = await page.evaluate(() => window.__spoken);
  expect(spoken.join(' ')).toContain('Press down gently');
  expect(spoken.join(' ')).toContain('Press your feet gently into the floor');
  await expect(page.getByRole('button', { name: 'Stop reading' })).toBeVisible();
});

test('without speech synthesis, the read-aloud control stays hidden', async ({ page }) => {
  await page.addInitScript(() => {
    delete window.speechSynthesis;
    delete window.SpeechSynthesisUtterance;
    Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
  });
  await page.goto('/calm/feet?step=2');
  await expect(page.locator('[data-pause]')).toBeVisible();
  await expect(page.locator('[data-read-aloud]')).toBeHidden();
});

test('the lock screen reaches the calm tools without unlocking, and nothing is saved', async ({ page }) => {
  await h.setUp(page);
  await h.lock(page);
  await h.audit(page, 'unlock with "I need a moment"', { schemes: true });
  await tabTo(page, /^I need a moment$/);
  await pressAndLoad(page);
  await expect(page).toHaveURL(/\/calm$/);
  await expect(h.lockButton(page)).toHaveCount(0);
  await expect(page.locator('#main')).toContainText('Nothing you do here is saved');
  await tabTo(page, /^Feet on the floor /);
  await pressAndLoad(page);
  await tabTo(page, /^Start$/);
  await pressAndLoad(page);
  await finishByKeyboard(page, TOOLS[3], { audit: false });
  await expect(page.locator('#main')).toContainText('Nothing from this was saved');
  await expect(page.locator('input[name="rating"]')).toHaveCount(0);
  // The header link is on every page, locked or not.
  for (const path of ['/unlock', '/help', '/calm/feet']) {
    await page.goto(path);
    await expect(page.locator('a.calm-now')).toHaveText('Calm now');
  }
});

test('unlocked: distress before and after by keyboard, and "what has helped you"', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/calm/helped');
  await expect(page.locator('#main')).toContainText('Nothing here yet');
  await auditCalm(page, 'what helped (empty)', true);

  await page.goto('/');
  await tabTo(page, /^Calm now$/);
  await pressAndLoad(page);
  await expect(page).toHaveURL(/\/calm$/);
  await tabTo(page, /^Feet on the floor /);
  await pressAndLoad(page);
  await expect(page).toHaveURL(/\/calm\/feet$/);
  // Start comes first; noting how you feel is tucked behind a summary.
  await tabTo(page, /^Note how you feel first \(optional\)$/);
  await page.keyboard.press('Enter');
  await expect(page.locator('legend')).toContainText('You can skip this');
  await auditCalm(page, 'introduction with rating', true);
  await tabTo(page, /^INPUT:rating:0$/);
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await expect(page.locator('input[name="rating"][value="7"]')).toBeChecked();
  await tabTo(page, /^Start$/);
  await pressAndLoad(page);
  await expect(page).toHaveURL(/\/calm\/feet\?step=1&use=[0-9a-f]{32}$/);
  await finishByKeyboard(page, TOOLS[3], { audit: false });
  await expect(page.locator('legend')).toContainText('How much distress do you feel now');
  await auditCalm(page, 'end with rating', true);
  await tabTo(page, /^INPUT:rating:0$/);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await tabTo(page, /^Save how I feel$/);
  await pressAndLoad(page);
  await expect(page.locator('[role="status"]').first()).toContainText('kept privately');

  // A bad rating (sent by hand) is refused calmly, keeping the form.
  await page.goto('/calm/senses');
  await page.evaluate(() => {
    const input = document.querySelector('input[name="rating"][value="5"]');
    input.value = '11';
    input.checked = true;
  });
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Start', exact: true }));
  await h.expectCalmAlert(page);
  await auditCalm(page, 'introduction with a calm message');

  await page.goto('/calm/helped');
  await expect(page.locator('.calm-helped-row h2').first()).toHaveText('Feet on the floor');
  await expect(page.locator('#main')).toContainText('went down by about 4 points on average');
  await auditCalm(page, 'what helped', true);
});

test('offline: after one visit, the calm pages and Help now open with no connection; nothing private is kept', async ({ page, context, app }) => {
  await h.setUp(page);
  await page.goto('/calm');
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active && navigator.serviceWorker.controller !== null;
  });
  await page.goto('/help');
  await page.goto('/calm/helped');

  // Only public addresses are kept, and the copies were drawn for nobody (no Lock button).
  const kept = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) out.push(new URL(req.url).pathname + new URL(req.url).search);
    }
    const calm = await (await caches.match('/calm')).text();
    return { urls: out, lockInCopy: calm.includes('action="/lock"') };
  });
  expect(kept.urls).toContain('/calm');
  expect(kept.urls).toContain('/help');
  expect(kept.urls).toContain('/calm/feet?step=2');
  for (const u of kept.urls) {
    expect(u, 'only public calm pages, Help now, Learn, the therapy guide and assets').toMatch(/^\/(calm(\/[a-z0-9-]+)?(\?step=(\d+|end))?(&short=1|\?short=1)?|help(\?country=[A-Z]{2})?|learn(\/[a-z0-9-]+)?|therapy(\/[a-z0-9-]+)?|static\/[a-z0-9-]+\.[0-9a-f]+\.(css|js|woff2))$/);
    expect(u).not.toContain('helped');
    expect(u).not.toContain('/therapy/notes');
  }
  expect(kept.lockInCopy, 'the kept /calm is the public version').toBe(false);

  await context.setOffline(true);
  await page.goto('/calm');
  await expect(page.locator('h1')).toHaveText('Calm now');
  await page.reload();
  await expect(page.locator('h1')).toHaveText('Calm now');
  await page.goto('/help');
  await expect(page.locator('h1')).toHaveText('Help now');
  await page.goto('/calm/feet?step=2');
  await expect(page.locator('h1')).toHaveText('Press down gently');
  await page.goto('/calm/breathing?step=1&inhale=5&hold=0&exhale=7&rest=0');
  await expect(page.locator('.pacer-count')).toContainText('Breathe in: 1, 2, 3, 4, 5');
  await expect(page.locator('.pacer-phase')).toHaveText('Breathe in');
  await expect(page.goto('/settings')).rejects.toThrow();
  await context.setOffline(false);

  // And with the server gone entirely.
  await app.stop();
  await page.goto('/calm/movement?step=2&short=1');
  await expect(page.locator('h1')).toHaveText('Mountain pose');
  await expect(page.locator('.calm-figure svg')).toBeVisible();
  await page.goto('/help?country=AU');
  await expect(page.locator('#main')).toContainText('13 11 14');
});

/**
 * axe cannot run in a page without JavaScript, so the no-JavaScript pages are audited in another
 * browser with every script request refused: the same document a browser without JavaScript gets.
 */
async function auditWithoutScripts(newDevice, paths) {
  // (Playwright gives new contexts the test's options: JavaScript must be switched back on.)
  const ctx = await newDevice({ javaScriptEnabled: true });
  await ctx.route('**/*.js', (route) => route.abort());
  const page = await ctx.newPage();
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator('[data-controls]')).toBeHidden();
    await auditCalm(page, `${path} (no JavaScript)`, true);
  }
}

test('locking clears the offline copies; the next visit to a calm page keeps them again', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/calm');
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active);
  expect(await page.evaluate(async () => (await caches.keys()).length)).toBe(1);
  await h.lock(page);
  const after = await page.evaluate(async () => ({
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).length,
  }));
  expect(after, 'Clear-Site-Data removed the worker and its copies').toEqual({ workers: 0, caches: 0 });
  await h.clickAndLoad(page, page.getByRole('link', { name: 'I need a moment' }));
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active && (await caches.keys()).length === 1);
  const kept = await page.evaluate(async () => (await (await caches.open((await caches.keys())[0])).keys()).length);
  expect(kept).toBeGreaterThan(60);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('every tool works as step-by-step pages; no timers or read-aloud controls are shown', async ({ page, newDevice }) => {
    test.setTimeout(180_000);
    await page.goto('/calm');
    for (const tool of TOOLS) {
      for (const short of [false, true]) {
        await page.goto('/calm');
        await h.clickAndLoad(page, page.locator(`#tool-${tool.key}`));
        await h.clickAndLoad(page, page.getByRole('link', { name: short ? /^Shorter version/ : /^Start$/ }));
        for (let i = 0; i < 12 && !/step=end/.test(page.url()); i++) {
          await expect(page.locator('[data-read-aloud]')).toBeHidden();
          await expect(page.locator('[data-pause]')).toBeHidden();
          await expect(page.getByRole('link', { name: 'Stop here' })).toBeVisible();
          await expect(page.getByRole('link', { name: 'Pick another tool' })).toBeVisible();
          if (await page.locator('.pacer').count()) {
            await expect(page.locator('.pacer-count')).toContainText('Breathe in: 1, 2, 3, 4');
            await expect(page.locator('.pacer-circle')).toBeHidden();
          }
          const rhythm = page.getByRole('button', { name: 'Start breathing' });
          if (await rhythm.count()) await h.clickAndLoad(page, rhythm);
          else await h.clickAndLoad(page, page.locator('.calm-nav a.primary'));
        }
        await expect(page.locator('h1')).toHaveText("That's the end of this one");
      }
    }
    await expect(page.locator('a.calm-now')).toBeVisible();
    await auditWithoutScripts(newDevice, [
      '/calm',
      '/calm/kindness',
      '/calm/senses?step=1',
      '/calm/breathing?step=1',
      '/calm/three-breaths?step=2',
      '/calm/body-scan?step=3',
      '/calm/movement?step=6',
      '/calm/feet?step=end',
      '/calm/feet?step=end&stopped=1',
    ]);
  });
});

test('auto-lock during an exercise locks quietly and lets the person finish', async ({ page }) => {
  await h.setUp(page);
  await page.goto('/settings');
  await h.submitSettingsForm(page, '/settings/autolock', { minutes: 2 });
  await page.clock.install();
  await page.goto('/calm/breathing?step=1');
  await expect(page.locator('form.lock')).toHaveCount(1);
  await page.clock.fastForward('02:05');
  // Still on the exercise, nothing hidden, and the Lock button is gone because it is locked.
  await expect(page).toHaveURL(/\/calm\/breathing\?step=1$/);
  await expect(page.locator('main h1')).toBeVisible();
  await expect(page.locator('form.lock')).toHaveCount(0);
  await page.goto('/');
  await expect(page, 'the session really is locked').toHaveURL(/\/unlock$/);
});
