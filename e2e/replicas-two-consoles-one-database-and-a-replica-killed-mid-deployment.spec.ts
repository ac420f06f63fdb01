import { expect, test } from '@playwright/test';
import { createTestDatabase, dropTestDatabase } from '../lib/store/testing/postgres';
import { MIGRATIONS } from '../lib/store/migrations';
import { approvedDeployment, waitForRun } from './support/deploy';
import { ownConsole, type OwnConsole } from './support/own-console';
import { recordStream, standaloneSandbox, storedRunEventsIn, withClient } from './support/replicas';
import { cloudFormationEventIds, shownEventIds, stackEventIds } from './support/run-record';
import { SANDBOX_CREDENTIALS } from './support/sandbox';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';

const STACKS = ['vpc', 'common', 'migration', 'services'];
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4599) + 10;

test('two replicas share one database: started at once they migrate it once, a session from one works on the other, and when the replica driving a deployment is killed the other takes the run over and finishes it, its viewer seeing every event once and in order', async ({ browser }, testInfo) => {
  test.setTimeout(480_000);
  const databaseUrl = await createTestDatabase('lr_e2e');
  const aws = await standaloneSandbox(SANDBOX_PORT, 0.03);
  const shared = { databaseUrl, awsEndpoint: aws.endpoint };
  const consoles: OwnConsole[] = [];
  try {
    // Both replicas start at once on the empty database
    const [a, b] = await Promise.all([
      ownConsole(testInfo.outputPath('a'), { portOffset: 3, timeScale: 0.03, shared }),
      ownConsole(testInfo.outputPath('b'), { portOffset: 4, timeScale: 0.03, shared }),
    ]);
    consoles.push(a!, b!);
    const [replicaA, replicaB] = [a!, b!];
    const applied = await withClient(databaseUrl, async (client) => (await client.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id')).rows.map((r) => r.id));
    expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
    const admins = await withClient(databaseUrl, async (client) => (await client.query('SELECT username FROM users')).rows);
    expect(admins).toEqual([{ username: 'admin' }]);
    for (const replica of [replicaA, replicaB]) expect((await fetch(`${replica.baseUrl}/healthz`)).status).toBe(200);

    // Signed in on A; the same browser is signed in on B (one session, in the shared database)
    const { context, page } = await replicaA.signedInAdmin(browser);
    const viewer = await context.newPage();
    await viewer.goto(`${replicaB.baseUrl}/history`);
    await expect(viewer.getByRole('link', { name: /Your account: admin, admin/ })).toBeVisible();

    // A full deployment started on A, watched on B
    const runId = await approvedDeployment(page, { name: 'Replica journey', prefix: 'rp' });
    await viewer.goto(`${replicaB.baseUrl}/runs/${runId}`);
    const cookie = (await context.cookies(replicaB.baseUrl)).filter((c) => c.name === 'lr_session').map((c) => `${c.name}=${c.value}`).join('; ');
    const stream = recordStream(replicaB.baseUrl, runId, cookie);

    // Mid-deployment, replica A (which drives the run) is killed outright
    await expect(viewer.locator('[data-stack="common"] [data-event-id]').nth(5)).toBeAttached({ timeout: 120_000 });
    await replicaA.kill();
    const atKill = await storedRunEventsIn(databaseUrl, runId);
    expect(stackEventIds(atKill, 'rp-common').length).toBeGreaterThan(5);

    // B takes the run over once A's lease lapses, and finishes it; its viewer follows live throughout
    await waitForRun(viewer, 'succeeded', 300_000);
    await expect(viewer.getByTestId('stream-state')).toHaveText('all events received');
    await stream.done;
    const final = await storedRunEventsIn(databaseUrl, runId);
    expect(final.slice(0, atKill.length)).toEqual(atKill);
    const takeOver = final.find(({ event }) => event.type === 'note' && /^The console replica driving this run \(.+\) stopped; .+ picks it up where it was\.$/.test(event.message));
    expect(takeOver).toBeDefined();

    // Every event once and in order: the stream's ids are the stored seqs, ascending, none twice
    const seqs = final.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(stream.received.map((m) => m.id)).toEqual(seqs);
    expect(stream.received.map((m) => m.event)).toEqual(final.map((e) => e.event));

    // and every event CloudFormation recorded is stored and shown on B exactly once, nothing else
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: SANDBOX_CREDENTIALS });
    for (const id of STACKS) {
      const name = `rp-${id}`;
      const recorded = await cloudFormationEventIds(cfn, name);
      for (const [where, ids] of [['in the store', stackEventIds(final, name)], ['on the page', await shownEventIds(viewer, id)]] as const) {
        expect(new Set(ids).size, `${name} ${where}: an event twice`).toBe(ids.length);
        expect([...ids].sort(), `${name} ${where}`).toEqual([...recorded].sort());
      }
    }
    // The history on B lists the run as it ended
    await viewer.goto(`${replicaB.baseUrl}/history`);
    await expect(viewer.getByText('Replica journey').first()).toBeVisible();
    await context.close();
  } finally {
    for (const replica of consoles) await replica.stop();
    await aws.stop();
    await dropTestDatabase(databaseUrl);
  }
});
