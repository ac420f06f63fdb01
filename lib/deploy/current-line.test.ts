// The engine on the sandbox with the current release line (upstream v1.7.5 layout): a proof of
// concept with our VPC and cluster deployed whole, the services root's seven nested stacks
// published, created, watched and deleted; a failure inside a nested stack named to its resource,
// recovered and resumed; and a plan whose nested templates come from its own mirror. The line is
// the test line built from the current line's stacks until the registry holds the real one.
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serialize } from '@/lib/cfn/serialize';
import type { Plan } from '@/lib/params/plan';
import { CURRENT_SECRETS, currentPlan } from '@/lib/plan/testing/line-current';
import { allEvents } from '@/lib/sandbox/testing';
import { createDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { runStacks, type Run } from '@/lib/store/runs';
import { CURRENT_STACKS } from '@/templates/current';
import { templateFiles } from '@/templates/files';
import { approveRun, prepareRun, recoverRun } from './engine';
import { stagingBucketName } from './staging';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';
import type { StackEventRecord } from './types';

vi.mock('@/templates', async () => {
  const { registryOf } = await import('@/templates/testing/registry');
  const { LINE_2025 } = await import('@/templates/line-2025');
  const { CURRENT_TEST_LINE } = await import('@/templates/current/testing/line');
  return registryOf([LINE_2025, CURRENT_TEST_LINE]);
});

const ACCOUNT = '111111111111';
const fixture = engineOnSandbox('current-line', { timeScale: 0.002, env: { CONSOLE_MAX_PARALLEL_STACKS: '4' } });
const SERVICES = CURRENT_STACKS.find((s) => s.id === 'services')!;
const CHILDREN = SERVICES.children!;
let cfn: CloudFormationClient;
let s3: S3Client;
let secrets: SecretsManagerClient;

beforeAll(() => {
  const { endpoint, region, credentials } = fixture.sandbox;
  cfn = new CloudFormationClient({ endpoint, region, credentials });
  s3 = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  secrets = new SecretsManagerClient({ endpoint, region, credentials });
});

// What the line's teardown note asks of a user before installing again: delete the retained database secret by hand.
afterEach(() => secrets.send(new DeleteSecretCommand({ SecretId: 'cardinal-db-master', ForceDeleteWithoutRecovery: true })).catch(() => undefined));

async function run(plan: Plan, operation: { kind: 'deploy' } | { kind: 'teardown' }, deploymentId?: string, resumedFrom?: string): Promise<{ run: Run; previewed: Awaited<ReturnType<typeof runStacks>>; deploymentId: string }> {
  const id = deploymentId ?? (await createDeployment({ name: plan.name, plan, createdBy: 'alice' })).id;
  const started = await prepareRun({ deploymentId: id, user: 'alice', operation, confirmedAccount: ACCOUNT, secrets: operation.kind === 'deploy' ? CURRENT_SECRETS : undefined, resumedFrom });
  const ready = await untilRun(started.id, ['awaiting-approval', 'failed']);
  expect(ready.error).toBeUndefined();
  const previewed = await runStacks(started.id);
  await approveRun(started.id, 'alice');
  return { run: await untilRun(started.id, ['succeeded', 'failed'], 240_000), previewed, deploymentId: id };
}

async function childEvents(runId: string) {
  const byChild = new Map<string, StackEventRecord[]>();
  for (const { event } of await runEventsSince(runId, 0, 100_000)) {
    if (event.type !== 'stack-event' || !event.child) continue;
    expect(event.stackId).toBe('services');
    byChild.set(event.child, [...(byChild.get(event.child) ?? []), event.event]);
  }
  return byChild;
}

const childrenOf = async (rootArn: string) => ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.ParentId === rootArn);

/** When CloudFormation began and ended a stack's delete, from its own events. */
async function deleteSpan(stackArn: string) {
  const events = (await allEvents(cfn, stackArn)).filter((e) => e.ResourceType === 'AWS::CloudFormation::Stack' && e.PhysicalResourceId === e.StackId);
  const start = events.filter((e) => e.ResourceStatus === 'DELETE_IN_PROGRESS').at(-1)?.Timestamp?.getTime();
  const end = events.filter((e) => e.ResourceStatus === 'DELETE_COMPLETE').at(-1)?.Timestamp?.getTime();
  if (start === undefined || end === undefined) throw new Error(`${stackArn} has no delete span`);
  return { start, end };
}

describe('the current line through the console engine', () => {
  it('deploys a whole proof of concept, publishing, creating and watching the nested stacks, then tears it down in reverse, cwmetrics first', async () => {
    // given a proof-of-concept plan with every stack of the line
    const plan = currentPlan('cl');
    const { run: done, previewed, deploymentId } = await run(plan, { kind: 'deploy' });

    // the preview listed the services root's nested stacks with their templates' resources, and its wiring
    const rootPreview = previewed.find((s) => s.stackId === 'services')!;
    expect(rootPreview).toMatchObject({ status: 'previewed', changesFromTemplate: true });
    expect(rootPreview.childChanges?.map((c) => [c.path, c.title])).toEqual(CHILDREN.map((c) => [c.logicalId, c.title]));
    // (the plan gives a certificate ARN: the certificate child builds no certificate of its own)
    expect(rootPreview.childChanges?.find((c) => c.path === 'Cert')?.changes).toEqual([]);
    expect(rootPreview.childChanges?.filter((c) => c.changes.length > 0).map((c) => c.path)).toEqual(CHILDREN.filter((c) => c.logicalId !== 'Cert').map((c) => c.logicalId));
    expect(rootPreview.inputs).toEqual(expect.arrayContaining([{ parameter: 'VpcId', stackId: 'vpc', stackName: 'cl-vpc', output: 'VpcId' }]));

    // then every stack completed
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('succeeded');
    const stacks = Object.fromEntries((await runStacks(done.id)).map((s) => [s.stackId, s]));
    expect(Object.values(stacks).map((s) => [s.stackId, s.status])).toEqual(CURRENT_STACKS.map((s) => [s.id, 'complete']));

    // the root's change set included its nested stacks' (IncludeNestedStacks), each under its title
    const root = stacks.services!;
    expect(root.changesFromTemplate).toBe(false);
    expect(root.childChanges?.map((c) => [c.path, c.title])).toEqual(CHILDREN.map((c) => [c.logicalId, c.title]));
    expect(root.childChanges?.find((c) => c.path === 'Alb')?.changes.map((c) => `${c.action} ${c.logicalId} ${c.resourceType}`)).toContain('Add Alb AWS::ElasticLoadBalancingV2::LoadBalancer');
    // each parameter fed by an output shows where from and the value it got
    const wired = Object.fromEntries(root.inputs!.map((i) => [i.parameter, i]));
    expect(wired.VpcId).toEqual({ parameter: 'VpcId', stackId: 'vpc', stackName: 'cl-vpc', output: 'VpcId', value: stacks.vpc!.outputs!.VpcId });
    expect(wired.QueueUrl).toMatchObject({ stackId: 'satellite-infra-base', output: 'RawQueueUrl', value: stacks['satellite-infra-base']!.outputs!.RawQueueUrl });
    expect(done.parameters?.services?.DbEndpoint).toBe(stacks['infra-rds']!.outputs!.DbEndpoint);

    // the children were published to the staging bucket under a content key, and the root was given that folder
    const base = done.parameters!.services!.TemplateBaseUrl!;
    const bucket = stagingBucketName(ACCOUNT, 'us-east-1');
    expect(base).toMatch(new RegExp(`^https://${bucket}\\.s3\\.us-east-1\\.amazonaws\\.com/nested/cardinal-lakerunner-services/[0-9a-f]{24}/cardinal-lakerunner/$`));
    const prefix = new URL(base).pathname.slice(1);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(CHILDREN.map((c) => `${prefix}${c.file.split('/')[1]}.json`).sort());

    // the nested stacks exist, each its own stack with the root as parent
    const children = await childrenOf(root.arn!);
    expect(children.map((c) => [c.StackName!.replace(/-[A-Z0-9]+$/, ''), c.StackStatus]).sort()).toEqual(CHILDREN.map((c) => [`cl-services-${c.logicalId}`, 'CREATE_COMPLETE']).sort());

    // and each was watched: its own events stored under its path, every one once, ending in its CREATE_COMPLETE
    const watched = await childEvents(done.id);
    expect([...watched.keys()].sort()).toEqual(CHILDREN.map((c) => c.logicalId).sort());
    for (const child of children) {
      const path = CHILDREN.find((c) => child.StackName!.startsWith(`cl-services-${c.logicalId}-`))!.logicalId;
      const own = watched.get(path)!;
      // (the child's review for the root's change set, just before the run executed it, may be among them)
      const all = await allEvents(cfn, child.StackId!);
      expect(own.filter((e) => e.status !== 'REVIEW_IN_PROGRESS').map((e) => e.eventId)).toEqual(all.filter((e) => String(e.ResourceStatus) !== 'REVIEW_IN_PROGRESS').map((e) => e.EventId));
      expect(all.map((e) => e.EventId)).toEqual(expect.arrayContaining(own.map((e) => e.eventId)));
      expect(own.at(-1)).toMatchObject({ stackName: child.StackName, logicalId: child.StackName, status: 'CREATE_COMPLETE' });
    }
    const ids = (await runEventsSince(done.id, 0, 100_000)).flatMap((e) => (e.event.type === 'stack-event' ? [e.event.event.eventId] : []));
    expect(new Set(ids).size).toBe(ids.length);

    // when the deployment is torn down
    const { run: teardown, previewed: removals } = await run(plan, { kind: 'teardown' }, deploymentId);
    // the preview listed what each nested stack's delete removes, under the root
    expect(removals.find((s) => s.stackId === 'services')?.childChanges?.map((c) => c.path).sort()).toEqual(CHILDREN.map((c) => c.logicalId).sort());
    expect(teardown.status).toBe('succeeded');
    const order = (await runStacks(teardown.id)).map((s) => s.stackId);
    expect(order).toEqual([...CURRENT_STACKS].reverse().map((s) => s.id));
    expect(order[0]).toBe('cwmetrics');
    // CloudFormation deleted each stack only after the stacks that depend on it were gone
    const at = Object.fromEntries(await Promise.all(Object.values(stacks).map(async (s) => [s.stackId, await deleteSpan(s.arn!)] as const)));
    for (const stack of CURRENT_STACKS) for (const dependency of stack.after) expect(at[dependency]!.start, `${dependency} after ${stack.id}`).toBeGreaterThanOrEqual(at[stack.id]!.end);
    // the first deletes to start were the stacks nothing depends on: cwmetrics and the services root
    const first = Math.min(...Object.values(at).map((s) => s.start));
    expect(at.cwmetrics!.start - first).toBeLessThan(at['satellite-infra-base']!.start - first);
    // the nested stacks were deleted with their root, and followed to their end
    for (const child of children) {
      const status = (await cfn.send(new DescribeStacksCommand({ StackName: child.StackId }))).Stacks?.[0]?.StackStatus;
      expect(status).toBe('DELETE_COMPLETE');
    }
    const deletes = await childEvents(teardown.id);
    expect([...deletes.keys()].sort()).toEqual(CHILDREN.map((c) => c.logicalId).sort());
    for (const events of deletes.values()) expect(events.at(-1)).toMatchObject({ resourceType: 'AWS::CloudFormation::Stack', status: 'DELETE_COMPLETE' });
  });

  it('names the nested stack and its resource when one fails, then recovers the root and resumes', async () => {
    // given a load balancer that cannot be made inside the services root's Alb child
    fixture.sandbox.faults.failResource({ stackName: 'cf-services/Alb', logicalId: 'Alb', operation: 'create', reason: 'Injected: no capacity for the load balancer' });
    const plan = currentPlan('cf', { cwmetrics: false });
    const { run: failed, deploymentId } = await run(plan, { kind: 'deploy' });

    // then the run fails with the deepest failed child's first failed resource and the child's reason
    expect(failed.status).toBe('failed');
    expect(failed.rootCause).toMatchObject({
      stackId: 'services',
      stackName: 'cf-services',
      logicalId: 'Alb',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      status: 'CREATE_FAILED',
      reason: 'Injected: no capacity for the load balancer',
      child: { path: 'Alb', title: 'Load balancer', stackName: expect.stringMatching(/^cf-services-Alb-/) },
    });
    expect(failed.error).toMatch(/^cf-services failed: in nested stack Load balancer \(Alb\), cf-services-Alb-\w+: Alb \(AWS::ElasticLoadBalancingV2::LoadBalancer\) — Injected: no capacity/);
    const services = (await runStacks(failed.id)).find((s) => s.stackId === 'services')!;
    expect(services).toMatchObject({ status: 'failed', stackStatus: 'ROLLBACK_COMPLETE' });
    // the failure is in the run's events under the child
    const albEvents = (await childEvents(failed.id)).get('Alb') ?? [];
    expect(albEvents.map((e) => `${e.logicalId} ${e.status}`)).toContain('Alb CREATE_FAILED');

    // when the failed root is recovered (its failed create deleted) and the deployment resumed
    const recovery = await recoverRun({ deploymentId, stackId: 'services', user: 'alice', skipResources: [], confirmedAccount: ACCOUNT });
    expect((await untilRun(recovery.id, ['succeeded', 'failed'], 120_000)).status).toBe('succeeded');
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'cf-services' }))).rejects.toThrow(/does not exist/);
    const { run: resumed } = await run(plan, { kind: 'deploy' }, deploymentId, failed.id);
    expect(resumed.error).toBeUndefined();
    const after = await runStacks(resumed.id);
    expect(after.find((s) => s.stackId === 'services')).toMatchObject({ status: 'complete', stackStatus: 'CREATE_COMPLETE' });
    expect(after.filter((s) => s.stackId !== 'services').every((s) => s.status === 'skipped')).toBe(true);
    expect(await childrenOf(after.find((s) => s.stackId === 'services')!.arn!)).toHaveLength(CHILDREN.length);

    expect((await run(plan, { kind: 'teardown' }, deploymentId)).run.status).toBe('succeeded');
  });

  it("loads the nested templates from the plan's own mirror, publishing nothing", async () => {
    // given the line's templates published to a mirror (as `npm run templates` writes them), the certificate child marked
    await s3.send(new CreateBucketCommand({ Bucket: 'lakerunner-mirror' }));
    for (const file of templateFiles(CURRENT_STACKS, 'yaml').filter((f) => f.childId)) {
      const template = file.childId === 'cert' ? { ...file.template, Description: `${file.template.Description} (mirror)` } : file.template;
      await s3.send(new PutObjectCommand({ Bucket: 'lakerunner-mirror', Key: `v1.7.5/${file.path}`, Body: serialize(template, 'yaml') }));
    }
    const bucket = stagingBucketName(ACCOUNT, 'us-east-1');
    const staged = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'nested/' }))).Contents ?? []).map((o) => o.Key).sort();
    const before = await staged();
    const plan = { ...currentPlan('mi', { cwmetrics: false }), childTemplatesUrl: 'https://lakerunner-mirror.s3.us-east-1.amazonaws.com/v1.7.5/' };

    const { run: done, deploymentId } = await run(plan, { kind: 'deploy' });
    expect(done.error).toBeUndefined();
    // the root loaded its children from the mirror's folder, and nothing more was published
    expect(done.parameters?.services?.TemplateBaseUrl).toBe('https://lakerunner-mirror.s3.us-east-1.amazonaws.com/v1.7.5/cardinal-lakerunner/');
    expect(await staged()).toEqual(before);
    const root = (await runStacks(done.id)).find((s) => s.stackId === 'services')!;
    const cert = (await childrenOf(root.arn!)).find((c) => c.StackName!.startsWith('mi-services-Cert-'))!;
    expect(cert.TemplateDescription).toMatch(/\(mirror\)$/);
    const body = (await cfn.send(new GetTemplateCommand({ StackName: cert.StackId }))).TemplateBody ?? '';
    expect(body).toContain('(mirror)');
    expect((await s3.send(new GetObjectCommand({ Bucket: 'lakerunner-mirror', Key: 'v1.7.5/cardinal-lakerunner/cert.yaml' }))).ContentLength).toBeGreaterThan(0);

    expect((await run(plan, { kind: 'teardown' }, deploymentId)).run.status).toBe('succeeded');
  });
});
