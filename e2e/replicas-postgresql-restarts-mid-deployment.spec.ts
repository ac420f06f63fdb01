import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { approvedDeployment, waitForRun } from './support/deploy';
import { ownConsole, type OwnConsole } from './support/own-console';
import { postgresServer, standaloneSandbox, storedRunEventsIn } from './support/replicas';
import { cloudFormationEventIds, stackEventIds } from './support/run-record';
import { SANDBOX_CREDENTIALS } from './support/sandbox';

const STACKS = ['vpc', 'common', 'migration', 'services'];
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4599) + 11;
// A server of the journey's own beside the suite's test server, so stopping it disturbs nothing else.
const PG_PORT = Number(new URL(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:55432').port || 55432) + 1;

test('PostgreSQL restarts mid-deployment: the console answers 503 saying its database is unavailable, recovers by itself, and the run finishes with no event lost', async ({ browser }, testInfo) => {
  test.setTimeout(420_000);
  const server = postgresServer(PG_PORT);
  const databaseUrl = server.start();
  const aws = await standaloneSandbox(SANDBOX_PORT, 0.03);
  let console: OwnConsole | undefined;
  try {
    console = await ownConsole(testInfo.outputPath('console'), { portOffset: 5, timeScale: 0.03, shared: { databaseUrl, awsEndpoint: aws.endpoint } });
    const { page } = await console.signedInAdmin(browser);
    const runId = await approvedDeployment(page, { name: 'Database restart journey', prefix: 'pr' });
    await expect(page.locator('[data-stack="common"] [data-event-id]').nth(3)).toBeAttached({ timeout: 120_000 });
    const before = await storedRunEventsIn(databaseUrl, runId);

    // The database goes down mid-deployment: the health check and the pages say so, with a 503
    server.stop();
    const health = await fetch(`${console.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.text()).toBe('unavailable\n');
    const history = await page.request.get(`${console.baseUrl}/history`);
    expect(history.status()).toBe(503);
    expect(await history.text()).toMatch(/cannot reach its data store[\s\S]*does not answer/);
    await page.waitForTimeout(4000);

    // It comes back: the console answers again without a restart, and the run goes on to the end
    server.start();
    await expect.poll(async () => (await fetch(`${console!.baseUrl}/healthz`)).status, { timeout: 30_000 }).toBe(200);
    // (the slow clock was there to catch the run midway; the rest of it need not crawl)
    await aws.setTimeScale(0.005);
    await page.reload();
    await waitForRun(page, 'succeeded', 300_000);
    const final = await storedRunEventsIn(databaseUrl, runId);
    expect(final.slice(0, before.length)).toEqual(before);
    const seqs = final.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: SANDBOX_CREDENTIALS });
    for (const id of STACKS) {
      const stored = stackEventIds(final, `pr-${id}`);
      expect(new Set(stored).size, `pr-${id}: an event twice`).toBe(stored.length);
      expect([...stored].sort(), `pr-${id}: events lost or invented`).toEqual([...(await cloudFormationEventIds(cfn, `pr-${id}`))].sort());
    }
    expect(console.output()).toMatch(/The data store answers again after \d+ s\./);
  } finally {
    await console?.stop();
    await aws.stop();
    server.stop();
    server.remove();
  }
});
