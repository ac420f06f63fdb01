// A run's secret values between replicas: sealed in the store with CONSOLE_SECRETS_KEY, a replica
// that never saw them approves the run and they reach AWS; without the key it is refused, saying why.
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { type Plan } from '@/lib/params/plan';
import { withDb } from '@/lib/store/db';
import { createDeployment, getDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { runSecretsOf } from '@/lib/store/run-secrets';
import { getRun } from '@/lib/store/runs';
import { approveRun, cancelRun, contextFor, prepareRun, RunRefusedError } from './engine';
import { runtime } from './runtime';
import { expireWaitingSecrets, secretsOf } from './secrets';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';
import { CORE_ONLY_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';

const ACCOUNT = '111111111111';
const KEY = Buffer.alloc(32, 0x5a).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 0xa5).toString('base64');
const API_KEYS = (canary: string) => `- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - ${canary}\n`;

engineOnSandbox('secrets');
afterEach(() => {
  for (const name of ['CONSOLE_SECRETS_KEY', 'CONSOLE_SECRETS_KEY_PREVIOUS', 'CONSOLE_RUN_SECRETS_TTL_HOURS']) delete process.env[name];
  resetEnvForTests();
});

function keys(current: string | undefined, previous?: string) {
  for (const [name, value] of [['CONSOLE_SECRETS_KEY', current], ['CONSOLE_SECRETS_KEY_PREVIOUS', previous]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
}

const plan = (prefix: string): Plan => namedPlan2025(prefix, CORE_ONLY_2025);

/** A deploy prepared on "this" replica with a NoEcho value, then forgotten as another replica would not have it. */
async function preparedElsewhere(prefix: string, canary: string) {
  const deployment = await createDeployment({ name: prefix, plan: plan(prefix), createdBy: 'alice' });
  const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, secrets: { common: { ApiKeysOverride: API_KEYS(canary) } }, confirmedAccount: ACCOUNT });
  await untilRun(run.id, ['awaiting-approval']);
  runtime().secrets.delete(run.id);
  return { deployment, run };
}

const storeText = () =>
  withDb(async (db) => {
    const tables = ['runs', 'run_stacks', 'run_events', 'run_secrets', 'deployments', 'audit_log'] as const;
    const rows = await Promise.all(tables.map((t) => db.selectFrom(t).selectAll().execute()));
    return JSON.stringify(rows);
  });

describe("a run's secret values", () => {
  it('sealed with CONSOLE_SECRETS_KEY, reach AWS through a replica that never saw them, and leave the store with the run', async () => {
    keys(KEY);
    const canary = `sealed-canary-${Date.now().toString(36)}`;
    const { deployment, run } = await preparedElsewhere('sealed', canary);
    expect((await runSecretsOf(run.id))?.sealed).toMatch(/^v1\./);
    expect(await storeText()).not.toContain(canary);

    await approveRun(run.id, 'alice');
    expect((await untilRun(run.id, ['succeeded', 'failed'])).status).toBe('succeeded');
    const context = await contextFor((await getDeployment(deployment.id))!, 'alice');
    const outputs = (await context.cloudFormation.send(new DescribeStacksCommand({ StackName: 'sealed-common' }))).Stacks![0]!.Outputs ?? [];
    const secretArn = outputs.find((o) => o.OutputKey === 'ApiKeysSecretArn')!.OutputValue;
    expect((await context.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString).toContain(canary);
    expect(await runSecretsOf(run.id)).toBeUndefined();
    expect(runtime().secrets.has(run.id)).toBe(false);
    expect(await storeText()).not.toContain(canary);
  });

  it('sealed with another key, are refused with a message naming the setting', async () => {
    keys(KEY);
    const { run } = await preparedElsewhere('rekeyed', 'rekeyed-canary');
    keys(OTHER_KEY);
    await expect(approveRun(run.id, 'alice')).rejects.toThrow(/sealed with another CONSOLE_SECRETS_KEY/);
    expect((await getRun(run.id))?.status).toBe('awaiting-approval');
    await cancelRun(run.id, 'alice');
    expect(await runSecretsOf(run.id)).toBeUndefined();
  });

  it('without the key, live only in the memory of the replica that prepared the run: another one refuses the approval and says how to share them', async () => {
    const { run } = await preparedElsewhere('memory', 'memory-canary');
    expect(await runSecretsOf(run.id)).toBeUndefined();
    const refusal = await approveRun(run.id, 'alice').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RunRefusedError);
    expect((refusal as Error).message).toMatch(/only in the memory of the console that prepared this run.*give every replica the same CONSOLE_SECRETS_KEY/);
    expect((await getRun(run.id))?.status).toBe('awaiting-approval');
    await cancelRun(run.id, 'alice');
    const notes = (await runEventsSince(run.id, 0, 1000)).flatMap((e) => (e.event.type === 'run-status' ? [e.event.status] : []));
    expect(notes.at(-1)).toBe('cancelled');
  });

  it('sealed with the key being rotated out, still open, and are sealed again with the new key as they are read', async () => {
    keys(OTHER_KEY);
    const canary = `rotated-canary-${Date.now().toString(36)}`;
    const { run } = await preparedElsewhere('rotated', canary);
    const before = (await runSecretsOf(run.id))!.sealed;
    // The replicas restart with a new key, the old one kept as the previous key for the rotation.
    keys(KEY, OTHER_KEY);
    const held = await secretsOf(run.id, { awaitingApproval: true });
    expect(held.ok && held.secrets.common?.ApiKeysOverride).toBe(API_KEYS(canary));
    const after = (await runSecretsOf(run.id))!.sealed;
    expect(after).not.toBe(before);
    // Once sealed again, the old key is no longer needed.
    runtime().secrets.delete(run.id);
    keys(KEY);
    expect((await secretsOf(run.id, { awaitingApproval: true })).ok).toBe(true);
    await cancelRun(run.id, 'alice');
  });

  it('of a run left awaiting approval, expire after CONSOLE_RUN_SECRETS_TTL_HOURS, saying so on the run and at its approval', async () => {
    keys(KEY);
    process.env.CONSOLE_RUN_SECRETS_TTL_HOURS = '2';
    resetEnvForTests();
    const { run } = await preparedElsewhere('expiring', 'expiring-canary');
    expect(await expireWaitingSecrets()).toEqual([]);
    // Three hours pass, by the database's clock.
    await withDb((db) => db.updateTable('run_secrets').set({ created_at: Date.now() - 3 * 60 * 60_000 }).where('run_id', '=', run.id).execute());
    await expect(approveRun(run.id, 'alice')).rejects.toThrow(
      "This run's secret values expired: they are kept 2 hours while a run waits for approval (CONSOLE_RUN_SECRETS_TTL_HOURS). Cancel the run and start it again to enter them.",
    );
    expect(await expireWaitingSecrets()).toEqual([run.id]);
    expect(await runSecretsOf(run.id)).toBeUndefined();
    const notes = (await runEventsSince(run.id, 0, 1000)).flatMap((e) => (e.event.type === 'note' ? [e.event.message] : []));
    expect(notes.at(-1)).toBe(
      'The secret values given for this run were kept 2 hours while it waited for approval, and are deleted now (CONSOLE_RUN_SECRETS_TTL_HOURS). Cancel the run and start it again to enter them.',
    );
    expect((await getRun(run.id))?.status).toBe('awaiting-approval');
    await cancelRun(run.id, 'alice');
  });
});
