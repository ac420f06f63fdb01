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

// Two kinds of journeys share the one console and sandbox the web server starts:
// - `parallel`: journeys tagged '@parallel' run side by side in PARALLEL_WORKERS workers. A journey
//   may opt in (`test('…', { tag: '@parallel' }, async …)`) when it changes nothing outside its
//   own stacks (a stack prefix of its own), deployments, users and sessions: it sets no sandbox-wide
//   state (time scale, faults, throttling, quotas, emulated quirks), kills or restarts no shared
//   server (the suite's console, PostgreSQL), needs no slowed-down clock to catch a run midway, and
//   asserts nothing about what other journeys may create meanwhile. A console of its own
//   (e2e/support/own-console.ts) is fine when nothing but the journey uses it: its port offset is
//   unique in the suite and a file's tests run in one worker, so two of them never meet.
// - `exclusive`: every other journey, one at a time, after all the parallel ones have finished.
//   This is the default, so a new journey runs alone until it is known to be safe beside others.
// Run together, a failure in `parallel` skips `exclusive` (Playwright's project dependencies).
// E2E_PHASE=parallel or exclusive runs one kind alone; scripts/test.mjs (npm test) runs both at
// once that way, each against a console and sandbox of its own (other ports and data directory),
// so the exclusive journeys no longer wait for the parallel ones. The two phases would then end far
// apart (the exclusive one has most of the time), so exclusive journeys tagged '@after-parallel'
// run in the parallel phase instead, one at a time once its parallel journeys are done (project
// `after-parallel`): alone on that console and sandbox, as they need. They must not rely on the
// exclusive phase's ports or data directory (none does: each reads E2E_PORT and E2E_DATA_DIR).
const PARALLEL = /@parallel/;
const AFTER_PARALLEL = /@after-parallel/;
const PARALLEL_WORKERS = Number(process.env.E2E_WORKERS ?? 2);
const PHASE = process.env.E2E_PHASE || undefined;
if (PHASE !== undefined && PHASE !== 'parallel' && PHASE !== 'exclusive') {
  throw new Error(`E2E_PHASE=${PHASE}: give parallel or exclusive, or leave it unset to run both, one after the other.`);
}

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Files, not tests, are spread over workers: a file's tests share its beforeAll (users it adds).
  fullyParallel: false,
  workers: PARALLEL_WORKERS,
  retries: 0,
  reporter: process.env.TEST_REPORT_DIR
    ? [['list'], ['json', { outputFile: `${process.env.TEST_REPORT_DIR}/playwright${PHASE ? `-${PHASE}` : ''}.json` }]]
    : [['list']],
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  use: { baseURL: BASE_URL, headless: true, trace: 'retain-on-failure', acceptDownloads: true },
  projects: [
    // Signs in once and saves the admin, deployer and viewer browser states (e2e/.auth/<port>/).
    { name: 'setup', testMatch: /auth\.setup\.ts$/, use: chromium },
    ...(PHASE === 'exclusive'
      ? []
      : [
          {
            name: 'parallel',
            dependencies: ['setup'],
            grep: PARALLEL,
            workers: PARALLEL_WORKERS,
            use: { ...chromium, storageState: storageState('admin') },
          },
        ]),
    ...(PHASE === 'parallel'
      ? [
          {
            name: 'after-parallel',
            dependencies: ['parallel'],
            grep: AFTER_PARALLEL,
            grepInvert: PARALLEL,
            workers: 1,
            use: { ...chromium, storageState: storageState('admin') },
          },
        ]
      : [
          {
            name: 'exclusive',
            dependencies: [PHASE === 'exclusive' ? 'setup' : 'parallel'],
            // alone, it leaves out those the parallel phase runs after its own
            grepInvert: PHASE === 'exclusive' ? new RegExp(`${PARALLEL.source}|${AFTER_PARALLEL.source}`) : PARALLEL,
            workers: 1,
            use: { ...chromium, storageState: storageState('admin') },
          },
        ]),
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
