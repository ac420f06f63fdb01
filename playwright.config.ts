import { defineConfig, devices } from '@playwright/test';
import { ADMIN, TRUSTED_PROXY, storageState } from './e2e/support/auth';

// Debian's Chromium (apt-get install -y chromium): `npx playwright install` cannot download
// browsers on our machines, so Playwright drives the system binary through executablePath.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = Number(process.env.E2E_PORT ?? 3123);
const BASE_URL = `http://127.0.0.1:${PORT}`;

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.TEST_REPORT_DIR
    ? [['list'], ['json', { outputFile: `${process.env.TEST_REPORT_DIR}/playwright.json` }]]
    : [['list']],
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  use: { baseURL: BASE_URL, headless: true, trace: 'retain-on-failure', acceptDownloads: true },
  projects: [
    // Signs in once and saves the admin, deployer and viewer browser states (e2e/.auth/<port>/).
    { name: 'setup', testMatch: /auth\.setup\.ts$/, use: chromium },
    {
      name: 'debian-chromium',
      dependencies: ['setup'],
      use: { ...chromium, storageState: storageState('admin') },
    },
  ],
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `${BASE_URL}/templates/lakerunner-vpc.yaml`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      E2E_PORT: String(PORT),
      E2E_ADMIN_PASSWORD: ADMIN.password,
      E2E_TRUSTED_PROXY_HEADER: TRUSTED_PROXY.header,
      E2E_TRUSTED_PROXY_IPS: TRUSTED_PROXY.address,
    },
  },
});
