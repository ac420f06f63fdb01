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
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';

const METAS = METAS_2025;
const ACCOUNT = '111111111111';
const KEY = 'a secrets key for the tests, thirty-two characters or more';
const API_KEYS = (canary: string) => `- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - ${canary}\n`;

engineOnSandbox('secrets');
afterEach(() => {
  delete process.env.CONSOLE_SECRETS_KEY;
  resetEnvForTests();
});

function plan(prefix: string): Plan {
  const p = defaultPlan2025();
  p.name = prefix;
  p.include = { grafana: false, otel: false, demo: false };
  for (const meta of METAS) p.stackNames[meta.id] = `${prefix}-${meta.id}`;
  return p;
}

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
    process.env.CONSOLE_SECRETS_KEY = KEY;
    resetEnvForTests();
    const canary = `sealed-canary-${Date.now().toString(36)}`;
    const { deployment, run } = await preparedElsewhere('sealed', canary);
    expect(await runSecretsOf(run.id)).toMatch(/^v1\./);
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
    process.env.CONSOLE_SECRETS_KEY = KEY;
    resetEnvForTests();
    const { run } = await preparedElsewhere('rekeyed', 'rekeyed-canary');
    process.env.CONSOLE_SECRETS_KEY = `${KEY} but another one`;
    resetEnvForTests();
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
});
