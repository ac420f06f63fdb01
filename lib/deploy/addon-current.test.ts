// The CloudWatch metrics add-on of a current-line deployment through the engine on the sandbox:
// added with the plan's values, its excluded namespace changed (an update of its stack only),
// then removed (only its stack deleted), each previewed and approved; the deployment stays.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_SECRETS, currentPlan } from '@/lib/plan/testing/line-current';
import { createDeployment, getDeployment } from '@/lib/store/deployments';
import { runStacks, type Run } from '@/lib/store/runs';
import { DB_SECRET_NAME } from '@/templates/current/cardinal-lakerunner-infra-rds';
import { approveRun, prepareRun } from './engine';
import type { Operation } from './scope';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';

const ACCOUNT = '111111111111';
const fixture = engineOnSandbox('addon-current', { timeScale: 0.002, env: { CONSOLE_MAX_PARALLEL_STACKS: '4' } });
let cf: CloudFormationClient;
let s3: S3Client;
let secrets: SecretsManagerClient;

beforeAll(() => {
  const { endpoint, region, credentials } = fixture.sandbox;
  cf = new CloudFormationClient({ endpoint, region, credentials });
  s3 = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  secrets = new SecretsManagerClient({ endpoint, region, credentials });
});

const PLAN = currentPlan('cwa', { cwmetrics: false });
const CWMETRICS = 'cwa-cwmetrics';

afterAll(async () => {
  for (const name of [PLAN.params['infra-base']!.LicenseSecretName!, PLAN.params['infra-base']!.AdminKeySecretName!, DB_SECRET_NAME])
    await secrets.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
  await s3.send(new DeleteBucketCommand({ Bucket: PLAN.params['infra-base']!.CookedBucketName! })).catch(() => undefined);
});

async function run(operation: Operation, deploymentId: string) {
  const started = await prepareRun({ deploymentId, user: 'alice', operation, confirmedAccount: ACCOUNT, secrets: operation.kind === 'deploy' ? CURRENT_SECRETS : undefined });
  const ready = await untilRun(started.id, ['awaiting-approval', 'failed']);
  expect(ready.error).toBeUndefined();
  const previewed = (await runStacks(started.id)).map((s) => ({ stackId: s.stackId, action: s.action, status: s.status }));
  await approveRun(started.id, 'alice');
  const done: Run = await untilRun(started.id, ['succeeded', 'failed'], 240_000);
  expect(done.error).toBeUndefined();
  return { run: done, previewed };
}

const stackStatus = (name: string) =>
  cf.send(new DescribeStacksCommand({ StackName: name })).then(
    (r) => r.Stacks?.[0],
    () => undefined,
  );
const parameter = async (name: string, key: string) => (await stackStatus(name))?.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;

describe('the CloudWatch metrics add-on of a current-line deployment', () => {
  it('is added with the plan’s values, its excluded namespace changed, then removed alone while the deployment stays', async () => {
    // given a deployed current-line plan without the metrics stream
    const deploymentId = (await createDeployment({ name: PLAN.name, plan: PLAN, createdBy: 'alice' })).id;
    const first = await run({ kind: 'deploy' }, deploymentId);
    expect(first.previewed.map((s) => s.stackId)).not.toContain('cwmetrics');
    expect(await stackStatus(CWMETRICS)).toBeUndefined();

    // when the add-on is added with AWS/Billing left out
    const added = await run({ kind: 'add-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/Billing' } }, deploymentId);

    // then only its stack was previewed as a create, and it exists, wired to the raw bucket
    expect(added.previewed).toEqual([{ stackId: 'cwmetrics', action: 'create', status: 'previewed' }]);
    expect((await stackStatus(CWMETRICS))?.StackStatus).toBe('CREATE_COMPLETE');
    expect(await parameter(CWMETRICS, 'ExcludeNamespace')).toBe('AWS/Billing');
    const raw = (await runStacks(first.run.id)).find((s) => s.stackId === 'satellite-infra-base')!.outputs!.RawBucketName!;
    expect(await parameter(CWMETRICS, 'RawBucketName')).toBe(raw);
    let deployment = (await getDeployment(deploymentId))!;
    expect([deployment.status, deployment.plan.include.cwmetrics, deployment.plan.params.cwmetrics?.ExcludeNamespace]).toEqual(['deployed', true, 'AWS/Billing']);

    // when its excluded namespace changes
    const changed = await run({ kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/Usage' } }, deploymentId);
    expect(changed.previewed).toEqual([{ stackId: 'cwmetrics', action: 'update', status: 'previewed' }]);
    expect((await stackStatus(CWMETRICS))?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(await parameter(CWMETRICS, 'ExcludeNamespace')).toBe('AWS/Usage');
    expect((await getDeployment(deploymentId))!.plan.params.cwmetrics?.ExcludeNamespace).toBe('AWS/Usage');

    // when it is removed
    const removed = await run({ kind: 'remove-addon', stack: 'cwmetrics' }, deploymentId);

    // then only its stack was previewed as a delete and is gone; every other stack stays, and so does the deployment
    expect(removed.previewed).toEqual([{ stackId: 'cwmetrics', action: 'delete', status: 'previewed' }]);
    expect(await stackStatus(CWMETRICS)).toBeUndefined();
    for (const name of ['cwa-satellite-infra-base', 'cwa-services']) expect((await stackStatus(name))?.StackStatus, name).toMatch(/_COMPLETE$/);
    deployment = (await getDeployment(deploymentId))!;
    expect([deployment.status, deployment.plan.include.cwmetrics]).toEqual(['deployed', false]);

    // and a later deploy of the whole plan leaves it out
    const again = await run({ kind: 'deploy' }, deploymentId);
    expect(again.previewed.map((s) => s.stackId)).not.toContain('cwmetrics');

    // and it can be added again, with the values the plan kept for it, under the stack name the deployer gives
    const readded = await run({ kind: 'add-addon', stack: 'cwmetrics', settings: {}, stackName: 'cwa-metrics-stream' }, deploymentId);
    expect(readded.previewed).toEqual([{ stackId: 'cwmetrics', action: 'create', status: 'previewed' }]);
    expect(await parameter('cwa-metrics-stream', 'ExcludeNamespace')).toBe('AWS/Usage');
    expect(await stackStatus(CWMETRICS)).toBeUndefined();
    expect((await runStacks(readded.run.id))[0]?.stackName).toBe('cwa-metrics-stream');
    // the deployment keeps the name: the next change goes to that stack
    expect((await getDeployment(deploymentId))!.plan.stackNames.cwmetrics).toBe('cwa-metrics-stream');
    await run({ kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/EC2' } }, deploymentId);
    expect(await parameter('cwa-metrics-stream', 'ExcludeNamespace')).toBe('AWS/EC2');
  }, 600_000);
});
