// Shared steps and checks for the browser tests, written against docs/ROUTES.md.
'use strict';

const fs = require('node:fs');
const { expect } = require('@playwright/test');

const PASSPHRASE = 'quiet river under amber lamps';
const NEW_PASSPHRASE = 'slow tide over copper hills';

/** Words that must never appear in a page title or a URL path. */
const SENSITIVE_TERMS = ['trauma', 'abuse', 'assault', 'rape', 'survivor', 'crisis', 'ptsd', 'sexual', 'trellis'];

function sensitiveHits(text) {
  const lower = String(text).toLowerCase();
  return SENSITIVE_TERMS.filter((t) => lower.includes(t));
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function formatViolations(label, violations) {
  const lines = [`axe: ${violations.length} violation(s) on ${label}`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) {
      lines.push(`      at ${n.target}`);
      lines.push(`         ${n.html}`);
      for (const s of (n.summary || '').split('\n')) if (s.trim()) lines.push(`         ${s.trim()}`);
    }
  }
  return lines.join('\n');
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) on the current page and fails on any violation.
 * axe is evaluated through the DevTools protocol (page.evaluate), which the page's CSP
 * (`script-src 'self'`) does not govern, so no CSP bypass is needed.
 */
async function expectNoAxeViolations(page, label) {
  const present = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!present) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 240),
        summary: n.failureSummary,
      })),
    }));
  }, AXE_TAGS);
  const full = `${label} (${page.url()})`;
  if (violations.length) console.log(formatViolations(full, violations));
  expect(violations, formatViolations(full, violations)).toEqual([]);
}

/** Axe in both light and dark colour schemes; leaves the page in light. */
async function expectNoAxeViolationsBothSchemes(page, label) {
  await page.emulateMedia({ colorScheme: 'light' });
  await expectNoAxeViolations(page, `${label} [light]`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoAxeViolations(page, `${label} [dark]`);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Title and URL path contain no sensitive word. */
async function expectNeutral(page) {
  const title = await page.title();
  expect(sensitiveHits(title), `title "${title}" on ${page.url()}`).toEqual([]);
  const u = new URL(page.url());
  expect(sensitiveHits(decodeURIComponent(u.pathname + u.search)), `URL ${page.url()}`).toEqual([]);
}

/**
 * Password inputs autocomplete off / new-password / current-password; other free-text inputs
 * (text, textarea, search, email, url, tel) autocomplete off.
 */
async function expectSafeAutocomplete(page) {
  const bad = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, textarea')) {
      const type = (el.getAttribute('type') || (el.tagName === 'TEXTAREA' ? 'textarea' : 'text')).toLowerCase();
      const ac = (el.getAttribute('autocomplete') || '').trim().toLowerCase();
      const name = el.getAttribute('name') || el.id || el.outerHTML.slice(0, 80);
      if (type === 'password') {
        if (!['off', 'new-password', 'current-password'].includes(ac)) out.push(`password input ${name}: autocomplete="${ac}"`);
      } else if (['text', 'textarea', 'search', 'email', 'url', 'tel'].includes(type)) {
        if (ac !== 'off') out.push(`${type} input ${name}: autocomplete="${ac}"`);
      }
    }
    return out;
  });
  expect(bad, `inputs with unsafe autocomplete on ${page.url()}`).toEqual([]);
}

/** The checks every page must pass: neutral title and URL, safe autocomplete, zero axe violations. */
async function audit(page, label, { axe = true, schemes = false } = {}) {
  await expectNeutral(page);
  await expectSafeAutocomplete(page);
  await expectReflow(page, label);
  if (schemes) await expectNoAxeViolationsBothSchemes(page, label);
  else if (axe) await expectNoAxeViolations(page, label);
}

/**
 * WCAG 1.4.10 reflow: at 320 CSS px wide (what a 1280 px window shows at 400% zoom, and
 * narrower than 200% on a phone) the page needs no sideways scrolling. The viewport is put back.
 */
async function expectReflow(page, label) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (before) await page.setViewportSize(before);
  expect(overflow, `${label}: scrolls sideways at 320 px wide`).toBeLessThanOrEqual(0);
}

/** Clicks and waits for the next document to load (covers POST → 303 → GET). */
async function clickAndLoad(page, locator) {
  const loaded = page.waitForEvent('load');
  await locator.click();
  await loaded;
}

/** The form holding a field with this name. */
function formWith(page, fieldName) {
  return page.locator('form', { has: page.locator(`[name="${fieldName}"]`) }).first();
}

function submitButton(form) {
  return form.locator('button[type="submit"], button:not([type]), input[type="submit"]').first();
}

/** A visible, calm alert: words, no exclamation marks, no "error"/"invalid" jargon. */
async function expectCalmAlert(page) {
  const alert = page.locator('[role="alert"]').first();
  await expect(alert).toBeVisible();
  const text = (await alert.innerText()).trim();
  expect(text.length, 'alert has words').toBeGreaterThan(10);
  expect(text, 'alert is calm (no "!")').not.toContain('!');
  expect(text, 'alert is calm (no jargon)').not.toMatch(/\berror\b|invalid|\bfail(ed|ure)?\b/i);
  return text;
}

/** From an empty Trellis: set up with a passphrase (no recovery code) and land on home. */
async function setUp(page, { passphrase = PASSPHRASE, recovery = false } = {}) {
  await page.goto('/setup');
  const form = formWith(page, 'confirm');
  await form.locator('[name="passphrase"]').fill(passphrase);
  await form.locator('[name="confirm"]').fill(passphrase);
  const box = form.locator('[name="recovery"]');
  if ((await box.count()) > 0) {
    if (recovery) await box.check();
    else await box.uncheck();
  }
  await clickAndLoad(page, submitButton(form));
  if (!recovery) await expectHome(page);
}

async function expectHome(page) {
  await expect(page).toHaveURL(/\/$/);
  await expect(lockButton(page)).toBeVisible();
}

function lockButton(page) {
  return page.locator('form.lock button');
}

async function lock(page) {
  await clickAndLoad(page, lockButton(page));
  await expect(page).toHaveURL(/\/unlock$/);
}

async function unlock(page, passphrase = PASSPHRASE) {
  if (!/\/unlock$/.test(page.url())) await page.goto('/unlock');
  const form = formWith(page, 'passphrase');
  await form.locator('[name="passphrase"]').fill(passphrase);
  await clickAndLoad(page, submitButton(form));
}

/** Submits the settings form posting to `action`, filling `fields` (selects are selected). */
async function submitSettingsForm(page, action, fields) {
  const form = page.locator(`form[action="${action}"]`).first();
  await expect(form, `a form posting to ${action} on ${page.url()}`).toHaveCount(1);
  for (const [name, value] of Object.entries(fields)) {
    const field = form.locator(`[name="${name}"]`).first();
    const tag = await field.evaluate((el) => el.tagName);
    if (tag === 'SELECT') await field.selectOption(String(value));
    else await field.fill(String(value));
  }
  await clickAndLoad(page, submitButton(form));
}

/** Storage the browser keeps for the page's origin. */
async function originStorage(page) {
  return page.evaluate(async () => {
    const idb = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    const cacheKeys = typeof caches !== 'undefined' ? await caches.keys() : [];
    return {
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      indexedDB: idb,
      caches: cacheKeys,
    };
  });
}

module.exports = {
  PASSPHRASE,
  NEW_PASSPHRASE,
  SENSITIVE_TERMS,
  sensitiveHits,
  expectNoAxeViolations,
  expectNoAxeViolationsBothSchemes,
  expectNeutral,
  expectSafeAutocomplete,
  audit,
  clickAndLoad,
  formWith,
  submitButton,
  expectCalmAlert,
  setUp,
  expectHome,
  lockButton,
  lock,
  unlock,
  submitSettingsForm,
  originStorage,
};
