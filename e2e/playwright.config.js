// Playwright configuration for the Trellis browser tests.
//
// Chromium comes from Debian (/usr/bin/chromium); Playwright never downloads a browser
// (npm install runs with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1). Each test gets its own Trellis
// server with a fresh data directory (see lib/fixtures.js), so one worker runs them in order.
const { defineConfig } = require('@playwright/test');

const chromiumPath = process.env.TRELLIS_E2E_CHROMIUM || '/usr/bin/chromium';

module.exports = defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['junit', { outputFile: 'test-results/junit.xml' }]],
  outputDir: 'test-results/artifacts',
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
