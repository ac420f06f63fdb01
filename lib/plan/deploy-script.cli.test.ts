// deploy.sh for real: the current line's bundle run with the AWS CLI against a sandbox started
// here, every stack created in order, each consumer's parameters filled from its producers'
// outputs with describe-stacks, the services root's nested templates uploaded to a bucket the
// script makes (private and encrypted) and passed as TemplateBaseUrl — an independent client doing
// what upstream's shell drivers do. Needs the AWS CLI (any version that honours AWS_ENDPOINT_URL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, ListStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
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

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  requireAwsCli();
  // as fast as the sandbox goes: the CLI's waiters poll every 30 s, so each stack should be done by their first look
  sandbox = await startSandbox({ timeScale: 0 });
  dir = mkdtempSync(join(tmpdir(), 'deploy-sh-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deploy.sh of a current-line bundle, run with the AWS CLI', () => {
  it('creates every stack in order with the outputs wired into the parameters and the nested templates uploaded', async () => {
    // given a proof-of-concept plan with every stack, its secrets in the plan (so in the bundle)
    const plan = currentPlan('sh');
    plan.params['infra-base']!.LicenseData = 'z64:sandbox-license-for-deploy-sh';
    plan.params.services!.DexAdminPasswordHash = DEX_ADMIN_PASSWORD_HASH;
    unzipBundle(buildBundle(plan, 'yaml', '2026-12-01T00:00:00.000Z').bytes, dir);
    const script = join(dir, 'sh', 'deploy.sh');

    // when deploy.sh runs with the AWS CLI against the sandbox, no bucket named
    const env = sandboxCliEnv(sandbox, dir);
    const run = await bash(script, env, dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);

    // then every stack completed, in the plan's order
    const names = CURRENT_STACKS.map((s) => `sh-${s.id}`);
    expect(run.stdout.split('\n').filter((l) => l.endsWith(': CREATE_COMPLETE'))).toEqual(names.map((n) => `== ${n}: CREATE_COMPLETE`));
    const config = { endpoint: sandbox.endpoint, region: 'us-east-1', credentials: sandbox.credentials };
    const cfn = new CloudFormationClient(config);
    const stacks: Record<string, Stack> = {};
    for (const stack of CURRENT_STACKS) stacks[stack.id] = (await cfn.send(new DescribeStacksCommand({ StackName: `sh-${stack.id}` }))).Stacks![0]!;
    for (const stack of Object.values(stacks)) expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const created = (id: string) => stacks[id]!.CreationTime!.getTime();
    for (const stack of CURRENT_STACKS) for (const before of stack.after) expect(created(before)).toBeLessThan(created(stack.id));

    // and each parameter fed by an output holds that output's value
    const param = (id: string, key: string) => stacks[id]!.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
    const output = (id: string, key: string) => stacks[id]!.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    let wired = 0;
    for (const stack of CURRENT_STACKS)
      for (const [key, input] of Object.entries(stack.inputs)) {
        if (!('output' in input)) continue;
        const [producer, name] = input.output;
        expect(param(stack.id, key), `${stack.id}.${key} from ${producer}.${name}`).toBe(output(producer, name));
        wired += 1;
      }
    expect(wired).toBeGreaterThan(30);
    expect(param('services', 'QueueUrl')).toMatch(/^https:\/\/sqs\./);

    // the nested templates went to a private, encrypted bucket the script made, and the root loaded them from there
    const base = param('services', 'TemplateBaseUrl')!;
    expect(base).toMatch(/^https:\/\/lakerunner-templates-111111111111-us-east-1\.s3\.us-east-1\.amazonaws\.com\/lakerunner\/sh\/cardinal-lakerunner-services-[0-9a-f]{16}\/cardinal-lakerunner\/$/);
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    const bucket = 'lakerunner-templates-111111111111-us-east-1';
    const prefix = new URL(base).pathname.slice(1);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(CURRENT_STACKS.find((s) => s.id === 'services')!.children!.map((c) => `${prefix}${c.file.split('/')[1]}.yaml`).sort());
    // (the sandbox accepts bucket settings without serving them back: the calls are counted)
    const metrics = sandbox.metrics();
    expect([metrics['s3.CreateBucket'], metrics['s3.PutBucketPublicAccessBlock'], metrics['s3.PutBucketEncryption']]).toEqual([1, 1, 1]);
    const children = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId === stacks.services!.StackId);
    expect(children.map((c) => c.StackStatus)).toEqual(Array(7).fill('CREATE_COMPLETE'));

    // run again: every stack is there already and is skipped, and the bucket is used as it is
    const again = await bash(script, env, dir);
    expect(again.status).toBe(0);
    expect(again.stdout.split('\n').filter((l) => l.includes('already exists'))).toHaveLength(CURRENT_STACKS.length);
    expect(sandbox.metrics()['s3.CreateBucket']).toBe(1);
  }, 600_000);
});
