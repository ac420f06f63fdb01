import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { BASE_URL } from './support/auth';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { cloudFormationEventIds, shownEventIds, openRunStream, sessionCookieOf, SHARED_DATA_DIR, stackEventIds, storedRunEvents } from './support/run-record';
import { sandbox, SANDBOX_CREDENTIALS, SANDBOX_ENDPOINT } from './support/sandbox';

const STACKS = ['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo'];

test('a throttling storm during a full deployment: it completes, and every event arrives exactly once', { tag: '@after-parallel' }, async ({ page }) => {
  test.setTimeout(360_000);
  await deploymentFromPlan(page, { name: 'Storm journey', prefix: 'st', include: { grafana: true, otel: true, demo: true } });
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  const runId = page.url().split('/').pop()!;
  await waitForRun(page, 'awaiting-approval');
  const client = await openRunStream(BASE_URL, runId, sessionCookieOf('admin'));

  // the storm: every fourth call to any service is answered "Throttling", until it is cleared; the
  // run's change sets and its stack and event reads are throttled many times over. (At every second
  // call the SDK's adaptive retry held the whole run to about one call a second for two minutes,
  // and exercised nothing more.)
  await sandbox.throttle({ fraction: 0.25 });
  await sandbox.setTimeScale(0.01);
  try {
    const once = new CloudFormationClient({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
    const probes = await Promise.allSettled(Array.from({ length: 8 }, () => once.send(new DescribeStacksCommand({ StackName: 'st-vpc' }))));
    expect(probes.filter((p) => p.status === 'rejected' && /Rate exceeded|Throttl/.test(String(p.reason))).length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 300_000);
    await client.ended;
  } finally {
    await client.close();
    await sandbox.clearFaults();
    await sandbox.setTimeScale(0.002);
  }

  // every event CloudFormation recorded is in the store once, reached the stream client once, and shows once
  const stored = storedRunEvents(SHARED_DATA_DIR, runId);
  expect(client.events.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
  expect(client.events).toEqual(stored);
  for (const id of STACKS) {
    const name = `st-${id}`;
    const recorded = (await cloudFormationEventIds(sandbox.cloudFormation(), name)).sort();
    const inStore = stackEventIds(stored, name);
    expect(new Set(inStore).size, `${name}: duplicates in the store`).toBe(inStore.length);
    expect([...inStore].sort(), name).toEqual(recorded);
    expect(stackEventIds(client.events, name).sort(), name).toEqual(recorded);
    const shown = await shownEventIds(page, id);
    expect(shown.sort(), `${name} on the page`).toEqual(recorded);
  }
  await expect(page.getByTestId('run-counts')).toContainText('7/7 stacks');
});
