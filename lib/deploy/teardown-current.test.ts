// A current-line teardown through the engine on the sandbox, with the line's registered data: the
// raw bucket emptied (previewed with its object count) before satellite-infra-base's delete, and
// the retained fixed-name secrets force-deleted only when the teardown asks, so the same plan
// installs again in the same account and region.
import { DeleteBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '@/lib/params/plan';
import { CURRENT_SECRETS, currentPlan } from '@/lib/plan/testing/line-current';
import { createDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { listAudit } from '@/lib/store/audit';
import { listRuns, runStacks, type Run } from '@/lib/store/runs';
import { MASKED } from './parameters';
import { DB_SECRET_NAME } from '@/templates/current/cardinal-lakerunner-infra-rds';
import { approveRun, prepareRun } from './engine';
import type { Operation } from './scope';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';

const ACCOUNT = '111111111111';
const fixture = engineOnSandbox('teardown-current', { timeScale: 0.002, env: { CONSOLE_MAX_PARALLEL_STACKS: '4' } });
let s3: S3Client;
let secrets: SecretsManagerClient;

beforeAll(() => {
  const { endpoint, region, credentials } = fixture.sandbox;
  s3 = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  secrets = new SecretsManagerClient({ endpoint, region, credentials });
});

const PLAN = currentPlan('tdc');
const SECRETS = [PLAN.params['infra-base']!.LicenseSecretName!, PLAN.params['infra-base']!.AdminKeySecretName!, DB_SECRET_NAME];

afterAll(async () => {
  for (const name of SECRETS) await secrets.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
  await s3.send(new DeleteBucketCommand({ Bucket: PLAN.params['infra-base']!.CookedBucketName! })).catch(() => undefined);
});

async function run(plan: Plan, operation: Operation, deploymentId: string) {
  const started = await prepareRun({ deploymentId, user: 'alice', operation, confirmedAccount: ACCOUNT, secrets: operation.kind === 'deploy' ? CURRENT_SECRETS : undefined });
  const ready = await untilRun(started.id, ['awaiting-approval', 'failed']);
  expect(ready.error).toBeUndefined();
  const previewed = await runStacks(started.id);
  await approveRun(started.id, 'alice');
  const done: Run = await untilRun(started.id, ['succeeded', 'failed'], 240_000);
  expect(done.error).toBeUndefined();
  const notes = (await runEventsSince(started.id, 0, 100_000)).flatMap((e) => (e.event.type === 'note' ? [e.event.message] : []));
  return { run: done, previewed, notes };
}

const secretExists = (name: string) =>
  secrets.send(new DescribeSecretCommand({ SecretId: name })).then(
    () => true,
    (error: { name?: string }) => (error.name === 'ResourceNotFoundException' ? false : Promise.reject(error)),
  );
const bucketExists = (name: string) =>
  s3.send(new HeadBucketCommand({ Bucket: name })).then(
    () => true,
    () => false,
  );

describe('tearing down a current-line deployment', () => {
  it('empties the raw bucket before its stack goes, force-deletes the retained secrets only when asked, and the same plan installs again', async () => {
    // given a deployed proof of concept whose collector wrote three objects into the raw bucket
    const deploymentId = (await createDeployment({ name: PLAN.name, plan: PLAN, createdBy: 'alice' })).id;
    const first = await run(PLAN, { kind: 'deploy' }, deploymentId);
    const raw = (await runStacks(first.run.id)).find((s) => s.stackId === 'satellite-infra-base')!.outputs!.RawBucketName!;
    for (const key of ['otel-raw/org/a1/one.binpb', 'otel-raw/org/a1/two.binpb', 'cwmetrics-raw/org/three.json.gz'])
      await s3.send(new PutObjectCommand({ Bucket: raw, Key: key, Body: 'x' }));

    // when it is torn down with the retained secrets force-deleted
    const teardown = await run(PLAN, { kind: 'teardown', forceDeleteSecrets: true }, deploymentId);

    // then the preview said the raw bucket is emptied first, with its count, and which secrets go for good
    const satellite = teardown.previewed.find((s) => s.stackId === 'satellite-infra-base')!;
    expect(satellite.changes?.find((c) => c.resourceType === 'AWS::S3::Bucket')).toMatchObject({ physicalId: raw, details: ['emptied first (3 objects deleted for good)'] });
    expect(teardown.notes).toContain(
      `tdc-satellite-infra-base: the teardown empties the raw bucket ${raw} just before deleting the stack (CloudFormation cannot delete a bucket with objects in it): its 3 objects are deleted for good.`,
    );
    const base = teardown.previewed.find((s) => s.stackId === 'infra-base')!;
    expect(base.changes?.filter((c) => c.details?.includes('force-deleted after the stack’s delete, with no recovery window')).map((c) => c.logicalId).sort()).toEqual(['AdminKeySecret', 'LicenseSecret']);
    expect(teardown.notes).toContain(`tdc-infra-base: after its delete, the teardown force-deletes the retained secrets ${SECRETS[0]} and ${SECRETS[1]} with no recovery window, as asked: they cannot be restored.`);
    // and the run emptied the bucket, deleted every stack (cwmetrics first) and then the three secrets
    expect(teardown.run.status).toBe('succeeded');
    expect((await runStacks(teardown.run.id)).map((s) => [s.stackId, s.status])[0]).toEqual(['cwmetrics', 'complete']);
    expect(teardown.notes).toContain(`tdc-satellite-infra-base: emptied the raw bucket ${raw} (3 objects deleted) before its delete.`);
    expect(await bucketExists(raw)).toBe(false);
    for (const name of SECRETS) expect(await secretExists(name), name).toBe(false);
    expect(teardown.notes).toContain(`tdc-infra-rds: force-deleted the retained secret ${DB_SECRET_NAME} (no recovery window).`);
    // the cooked bucket is kept (Retain): the teardown never touches it
    expect(await bucketExists(PLAN.params['infra-base']!.CookedBucketName!)).toBe(true);
    await s3.send(new DeleteBucketCommand({ Bucket: PLAN.params['infra-base']!.CookedBucketName! }));

    // when the same plan is installed again in the same account and region, it works
    const again = await run(PLAN, { kind: 'deploy' }, deploymentId);
    expect(again.run.status).toBe('succeeded');

    // history holds each run of the deployment, the license masked; the audit log says which teardown force-deleted the secrets
    const runs = await listRuns({ deploymentId });
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ['deploy', 'succeeded'],
      ['teardown', 'succeeded'],
      ['deploy', 'succeeded'],
    ]);
    expect(again.run.parameters?.['infra-base']?.LicenseData).toBe(MASKED);
    expect(JSON.stringify(await runEventsSince(again.run.id, 0, 100_000))).not.toContain(CURRENT_SECRETS['infra-base'].LicenseData);
    const entries = (await listAudit({ pageSize: 200 })).entries.filter((e) => e.target === PLAN.name && e.action === 'deployment.teardown');
    // (newest first: its approval, then its start with what it was asked to do)
    expect(entries.map((e) => e.details)).toEqual([
      { run: teardown.run.id, approved: true },
      { run: teardown.run.id, kind: 'teardown', account: ACCOUNT, region: 'us-east-1', forceDeleteRetained: true },
    ]);

    // and a teardown that does not ask keeps the secrets, and says how to remove them
    const keeping = await run(PLAN, { kind: 'teardown' }, deploymentId);
    expect(keeping.run.status).toBe('succeeded');
    for (const name of SECRETS) expect(await secretExists(name), name).toBe(true);
    expect(keeping.notes).toContain(
      `tdc-infra-rds: its delete keeps the secret ${DB_SECRET_NAME} (Retain). Installing again in this account and region needs it gone: force-delete it by hand, or tear down with the retained secrets force-deleted.`,
    );
    expect(keeping.notes.some((n) => n.includes('force-deleted the retained secret'))).toBe(false);
    const audited = (await listAudit({ pageSize: 200 })).entries.filter((e) => e.target === PLAN.name && e.action === 'deployment.teardown');
    expect(audited.find((e) => e.details.run === keeping.run.id && e.details.kind === 'teardown')?.details).toEqual({ run: keeping.run.id, kind: 'teardown', account: ACCOUNT, region: 'us-east-1' });
    // (an empty raw bucket is still emptied first, as the preview says)
    expect(keeping.notes.some((n) => /tdc-satellite-infra-base: the teardown empties the raw bucket .* it is empty now\./.test(n))).toBe(true);
  }, 600_000);
});
