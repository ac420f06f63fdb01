// deploy.sh of an air-gapped plan, run with the AWS CLI against a sandbox started here: the nested
// templates come from the plan's mirror (a bucket holding them as published), nothing is uploaded
// and no bucket is made; the services root loads its seven children from the mirror.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bash, requireAwsCli, sandboxCliEnv, unzipBundle } from '@/lib/plan/testing/deploy-script-cli';
import { DEX_ADMIN_PASSWORD_HASH, currentPlan } from '@/lib/plan/testing/line-current';
import { startSandbox, type Sandbox } from '@/lib/sandbox/index';
import { CURRENT_STACKS } from '@/templates/current';
import { buildBundle } from './bundle';

vi.mock('@/templates', async () => {
  const { registryOf } = await import('@/templates/testing/registry');
  const { LINE_2025 } = await import('@/templates/line-2025');
  const { CURRENT_TEST_LINE } = await import('@/templates/current/testing/line');
  return registryOf([LINE_2025, CURRENT_TEST_LINE]);
});

const MIRROR_BUCKET = 'air-gapped-mirror';
const MIRROR = `https://${MIRROR_BUCKET}.s3.us-east-1.amazonaws.com/lakerunner/v1.7.5/`;
let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  requireAwsCli();
  sandbox = await startSandbox({ timeScale: 0 });
  dir = mkdtempSync(join(tmpdir(), 'deploy-sh-mirror-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deploy.sh of an air-gapped current-line bundle, run with the AWS CLI', () => {
  it('loads the nested templates from the plan mirror and uploads nothing', async () => {
    // given a plan with a nested templates mirror, and the mirror filled with the bundle's children
    const plan = currentPlan('ag');
    plan.childTemplatesUrl = MIRROR;
    plan.params['infra-base']!.LicenseData = 'z64:sandbox-license-for-deploy-sh';
    plan.params.services!.DexAdminPasswordHash = DEX_ADMIN_PASSWORD_HASH;
    unzipBundle(buildBundle(plan, 'json', '2026-12-01T00:00:00.000Z').bytes, dir);
    const config = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials: sandbox.credentials };
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: MIRROR_BUCKET }));
    const children = CURRENT_STACKS.find((s) => s.id === 'services')!.children!;
    for (const child of children)
      await s3.send(new PutObjectCommand({ Bucket: MIRROR_BUCKET, Key: `lakerunner/v1.7.5/${child.file}.yaml`, Body: readFileSync(join(dir, 'ag', 'templates', `${child.file}.yaml`)) }));
    const buckets = sandbox.metrics()['s3.CreateBucket'];
    const script = join(dir, 'ag', 'deploy.sh');

    // when deploy.sh runs with the AWS CLI against the sandbox
    const run = await bash(script, sandboxCliEnv(sandbox, dir), dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    // then the root loaded its children from the mirror, and the script made no bucket and uploaded nothing
    const cfn = new CloudFormationClient(config);
    const root = (await cfn.send(new DescribeStacksCommand({ StackName: 'ag-services' }))).Stacks![0]!;
    expect(root.StackStatus).toBe('CREATE_COMPLETE');
    expect(root.Parameters?.find((p) => p.ParameterKey === 'TemplateBaseUrl')?.ParameterValue).toBe(`${MIRROR}cardinal-lakerunner/`);
    const nested = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId === root.StackId);
    expect(nested.map((c) => c.StackStatus)).toEqual(Array(children.length).fill('CREATE_COMPLETE'));
    expect(sandbox.metrics()['s3.CreateBucket']).toBe(buckets);
    expect(sandbox.metrics()['s3.PutObject'] ?? 0).toBe(children.length);
  }, 600_000);
});
