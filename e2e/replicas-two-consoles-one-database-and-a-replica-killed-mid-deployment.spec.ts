import { randomBytes } from 'node:crypto';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '@playwright/test';
import { createTestDatabase, dropTestDatabase } from '../lib/store/testing/postgres';
import { MIGRATIONS } from '../lib/store/migrations';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { ownConsole, type OwnConsole } from './support/own-console';
import { recordStream, standaloneSandbox, storedRunEventsIn, withClient } from './support/replicas';
import { cloudFormationEventIds, shownEventIds, stackEventIds } from './support/run-record';
import { SANDBOX_CREDENTIALS } from './support/sandbox';

const STACKS = ['vpc', 'common', 'migration', 'services'];
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4599) + 10;
/** Every replica's CONSOLE_SECRETS_KEY: the run's NoEcho value is sealed in the database with it. */
const SECRETS_KEY = randomBytes(32).toString('base64');
const NO_ECHO = `noecho-replica-api-key-${Date.now().toString(36)}-canary`;

/** Every row of every table of the database, as text. */
const databaseText = (databaseUrl: string) =>
  withClient(databaseUrl, async (client) => {
    const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
    let text = '';
    // one query at a time: a pg client runs them in turn
    for (const table of tables) text += `${JSON.stringify((await client.query(`SELECT * FROM "${table}"`)).rows)}\n`;
    return text;
  });

test('two replicas share one database: started at once they migrate it once, a session from one works on the other, and when the replica driving a deployment is killed the other takes the run over and finishes it, its viewer seeing every event once and in order, and the secret value sealed in the database reaching AWS through the replica that took over', async ({ browser }, testInfo) => {
  test.setTimeout(480_000);
  const databaseUrl = await createTestDatabase('lr_e2e');
  const aws = await standaloneSandbox(SANDBOX_PORT, 0.03);
  const shared = { databaseUrl, awsEndpoint: aws.endpoint };
  const consoles: OwnConsole[] = [];
  try {
    // Both replicas start at once on the empty database
    const [a, b] = await Promise.all([
      ownConsole(testInfo.outputPath('a'), { portOffset: 3, timeScale: 0.03, shared, env: { CONSOLE_SECRETS_KEY: SECRETS_KEY } }),
      ownConsole(testInfo.outputPath('b'), { portOffset: 4, timeScale: 0.03, shared, env: { CONSOLE_SECRETS_KEY: SECRETS_KEY } }),
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

    // A full deployment with a NoEcho API key, previewed on A: the key is in the database only sealed
    await deploymentFromPlan(page, { name: 'Replica journey', prefix: 'rp' });
    await confirmAccess(page);
    await page.getByLabel(/API keys \(YAML\)/).fill(`- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - ${NO_ECHO}\n`);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    const runId = page.url().split('/').pop()!;
    await waitForRun(page, 'awaiting-approval');
    const sealed = await withClient(databaseUrl, async (client) => (await client.query<{ sealed: string }>('SELECT sealed FROM run_secrets WHERE run_id = $1', [runId])).rows);
    expect(sealed).toEqual([{ sealed: expect.stringMatching(/^v1\./) }]);
    expect(await databaseText(databaseUrl)).not.toContain(NO_ECHO);

    // approved on A (AWS slowed down, so that A dies before the VPC is done), watched on B
    await aws.setTimeScale(0.5);
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await viewer.goto(`${replicaB.baseUrl}/runs/${runId}`);
    const cookie = (await context.cookies(replicaB.baseUrl)).filter((c) => c.name === 'lr_session').map((c) => `${c.name}=${c.value}`).join('; ');
    const stream = recordStream(replicaB.baseUrl, runId, cookie);

    // Mid-deployment, replica A (which drives the run) is killed outright, before it created the
    // common stack, the one the secret value goes to
    await expect(viewer.locator('[data-stack="vpc"] [data-event-id]').nth(2)).toBeAttached({ timeout: 120_000 });
    await replicaA.kill();
    // (the slow clock was there to catch the run midway; the rest of it need not crawl)
    await aws.setTimeScale(0.005);
    const atKill = await storedRunEventsIn(databaseUrl, runId);
    expect(stackEventIds(atKill, 'rp-vpc').length).toBeGreaterThan(2);
    expect(stackEventIds(atKill, 'rp-common')).toEqual([]);

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
    // B unsealed the secret value it never saw and gave it to the common stack; the database has
    // dropped the sealed copy with the run's end
    const outputs = (await cfn.send(new DescribeStacksCommand({ StackName: 'rp-common' }))).Stacks?.[0]?.Outputs ?? [];
    const secretArn = outputs.find((o) => o.OutputKey === 'ApiKeysSecretArn')?.OutputValue;
    const secretsManager = new SecretsManagerClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: SANDBOX_CREDENTIALS });
    expect((await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString).toContain(NO_ECHO);
    expect(await withClient(databaseUrl, async (client) => (await client.query('SELECT run_id FROM run_secrets')).rows)).toEqual([]);
    expect(await databaseText(databaseUrl)).not.toContain(NO_ECHO);

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
