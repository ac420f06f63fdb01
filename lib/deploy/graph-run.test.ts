// The engine on the sandbox, as fast as the stack graph allows: what runs side by side, what waits,
// what happens when a stack fails while others run, and a teardown walking the graph backwards.
// Every order is read from the sandbox's own events (when CloudFormation saw each stack start and end).
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Plan } from '@/lib/params/plan';
import { allEvents } from '@/lib/sandbox/testing';
import { createDeployment, findDeploymentByName, getDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { acquireLease, leaseOf, renewLeases } from '@/lib/store/leases';
import { getRun, runStacks } from '@/lib/store/runs';
import { approveRun, contextFor, prepareRun, recoverRun, resumeRuns } from './engine';
import { execute } from './execute';
import { replicaId } from './replica';
import { setRunStatus } from './runtime';
import { scopeOf } from './scope';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';
import { METAS_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';
import { LINE_2025 } from '@/templates/line-2025';

const METAS = METAS_2025;
const ACCOUNT = '111111111111';
const ALL = { grafana: true, otel: true, demo: true };
const fixture = engineOnSandbox('graph', { timeScale: 0.005, env: { CONSOLE_MAX_PARALLEL_STACKS: '3' } });
let cfn: CloudFormationClient;

beforeAll(() => {
  const { endpoint, region, credentials } = fixture.sandbox;
  cfn = new CloudFormationClient({ endpoint, region, credentials });
});
afterEach(() => {
  fixture.sandbox.faults.clear();
  fixture.sandbox.setTimeScale(0.005);
});

const plan = (prefix: string, include = ALL): Plan => namedPlan2025(prefix, include);


async function deploy(deploymentId: string, resumedFrom?: string) {
  const run = await prepareRun({ deploymentId, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT, resumedFrom });
  await untilRun(run.id, ['awaiting-approval']);
  await approveRun(run.id, 'alice');
  return untilRun(run.id, ['succeeded', 'failed']);
}

/** When CloudFormation began and ended the stack's last operation of `kind`, from its own stack-level events. */
async function span(stackName: string, kind: 'CREATE' | 'DELETE', stackId = stackName) {
  const events = (await allEvents(cfn, stackId)).filter((e) => e.LogicalResourceId === stackName && e.ResourceType === 'AWS::CloudFormation::Stack');
  const start = events.filter((e) => e.ResourceStatus === `${kind}_IN_PROGRESS`).at(-1)?.Timestamp;
  const end = events.filter((e) => e.ResourceStatus?.startsWith(kind === 'CREATE' ? 'CREATE_COMPLETE' : 'DELETE_COMPLETE') || e.ResourceStatus === 'ROLLBACK_COMPLETE').at(-1)?.Timestamp;
  if (!start || !end) throw new Error(`${stackName} has no ${kind} span: ${events.map((e) => e.ResourceStatus).join(', ')}`);
  return { start: start.getTime(), end: end.getTime() };
}

const exists = async (stackName: string) =>
  cfn.send(new DescribeStacksCommand({ StackName: stackName })).then(
    (r) => r.Stacks?.[0]?.StackStatus !== 'REVIEW_IN_PROGRESS',
    () => false,
  );

describe('running the stack graph on the sandbox', () => {
  it('deploys a full plan with the collector alongside migration and services, each stack after the ones it depends on', async () => {
    const deployment = await createDeployment({ name: 'graph', plan: plan('gr'), createdBy: 'alice' });
    const run = await deploy(deployment.id);
    expect(run.status).toBe('succeeded');

    const at = Object.fromEntries(await Promise.all(METAS.map(async (m) => [m.id, await span(`gr-${m.id}`, 'CREATE')] as const)));
    expect(at.common!.start).toBeGreaterThanOrEqual(at.vpc!.end);
    expect(at.migration!.start).toBeGreaterThanOrEqual(at.common!.end);
    expect(at.otel!.start).toBeGreaterThanOrEqual(at.common!.end);
    expect(at.services!.start).toBeGreaterThanOrEqual(at.migration!.end);
    expect(at.grafana!.start).toBeGreaterThanOrEqual(at.services!.end);
    expect(at.demo!.start).toBeGreaterThanOrEqual(Math.max(at.services!.end, at.otel!.end));
    // the collector ran while migration or services did
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
    expect(overlaps(at.otel!, at.migration!) || overlaps(at.otel!, at.services!)).toBe(true);

    // every stack-status event carries when the console saw it
    const statuses = (await runEventsSince(run.id, 0, 100_000)).flatMap((e) => (e.event.type === 'stack-status' ? [e.event] : []));
    expect(statuses.every((e) => typeof e.at === 'string')).toBe(true);
  });

  it('tears the plan down backwards: grafana and demo first, the collector alongside services, the VPC last', async () => {
    // the deployment the test above deployed (its stacks are its own: another deployment may not tear them down)
    const deployment = (await findDeploymentByName('graph'))!;
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'teardown' }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);
    await approveRun(run.id, 'alice');
    expect((await untilRun(run.id, ['succeeded', 'failed'])).status).toBe('succeeded');
    // a deleted stack is found by its ARN only
    const arns = Object.fromEntries((await runStacks(run.id)).map((s) => [s.stackId, s.arn]));
    const at = Object.fromEntries(await Promise.all(METAS.map(async (m) => [m.id, await span(`gr-${m.id}`, 'DELETE', arns[m.id])] as const)));
    expect(at.services!.start).toBeGreaterThanOrEqual(Math.max(at.grafana!.end, at.demo!.end));
    expect(at.otel!.start).toBeGreaterThanOrEqual(at.demo!.end);
    expect(at.otel!.start).toBeLessThan(at.migration!.end);
    expect(at.migration!.start).toBeGreaterThanOrEqual(at.services!.end);
    expect(at.common!.start).toBeGreaterThanOrEqual(Math.max(at.migration!.end, at.otel!.end));
    expect(at.vpc!.start).toBeGreaterThanOrEqual(at.common!.end);
  });

  it('when the collector fails while services runs: services is followed to its end, nothing new starts, the cause names the collector; recover and resume finish', async () => {
    const deployment = await createDeployment({ name: 'graph-fail', plan: plan('gf'), createdBy: 'alice' });
    // The load balancer fails once services is in progress (the sandbox holds it until then), so
    // no clock races the engine's start of services; services (3 min of ECS service at least, over
    // 1.4 s here) outlasts the console's polling (50 ms), so nothing new starts meanwhile.
    fixture.sandbox.setTimeScale(0.008);
    fixture.sandbox.faults.failResource({
      stackName: 'gf-otel',
      logicalId: 'CollectorLoadBalancer',
      operation: 'create',
      reason: 'Injected: no capacity for the load balancer',
      whileInProgress: 'gf-services',
    });
    const failed = await deploy(deployment.id);
    expect(failed.status).toBe('failed');
    expect(failed.rootCause).toMatchObject({ stackName: 'gf-otel', logicalId: 'CollectorLoadBalancer', reason: 'Injected: no capacity for the load balancer' });
    const stacks = Object.fromEntries((await runStacks(failed.id)).map((s) => [s.stackId, s]));
    expect(stacks.otel).toMatchObject({ status: 'failed', stackStatus: 'ROLLBACK_COMPLETE' });
    expect(stacks.services?.status).toBe('complete');
    expect(stacks.grafana).toMatchObject({ status: 'not-started', statusReason: 'Not started: gf-otel failed.' });
    expect(stacks.demo?.status).toBe('not-started');

    // services was running when the collector failed, and finished afterwards
    const otel = await span('gf-otel', 'CREATE');
    const services = await span('gf-services', 'CREATE');
    const failedAt = (await allEvents(cfn, 'gf-otel')).find((e) => e.ResourceStatus === 'CREATE_FAILED')!.Timestamp!.getTime();
    expect(services.start).toBeLessThanOrEqual(failedAt);
    expect(services.end).toBeGreaterThan(failedAt);
    expect(otel.end).toBeGreaterThanOrEqual(failedAt);
    expect(await exists('gf-grafana')).toBe(false);
    expect(await exists('gf-demo')).toBe(false);

    fixture.sandbox.setTimeScale(0.005);
    const recovery = await recoverRun({ deploymentId: deployment.id, stackId: 'otel', user: 'alice', skipResources: [], confirmedAccount: ACCOUNT });
    expect((await untilRun(recovery.id, ['succeeded', 'failed'])).status).toBe('succeeded');
    const resumed = await deploy(deployment.id, failed.id);
    expect(resumed.status).toBe('succeeded');
    expect((await runStacks(resumed.id)).map((s) => [s.stackId, s.status])).toEqual([
      ['vpc', 'skipped'],
      ['common', 'skipped'],
      ['migration', 'skipped'],
      ['services', 'skipped'],
      ['grafana', 'complete'],
      ['otel', 'complete'],
      ['demo', 'complete'],
    ]);
    expect((await getDeployment(deployment.id))?.status).toBe('deployed');
  });

  it('a stack whose change set cannot be created ends failed, once, with guidance naming the stack that should export what it imports', async () => {
    // about outcomes, not timing: the sandbox's fastest clock (afterEach sets the file's back)
    fixture.sandbox.setTimeScale(0.0005);
    // as some emulators do: the common stack completes without its outputs, so it exports nothing
    fixture.sandbox.faults.emulate({ stacksWithoutOutputs: ['cx-common'] });
    const deployment = await createDeployment({ name: 'graph-refused', plan: plan('cx', { grafana: false, otel: false, demo: false }), createdBy: 'alice' });
    const failed = await deploy(deployment.id);
    expect(failed.status).toBe('failed');
    const stacks = Object.fromEntries((await runStacks(failed.id)).map((s) => [s.stackId, s]));
    expect(stacks.migration?.status).toBe('failed');
    expect(stacks.services).toMatchObject({ status: 'not-started', statusReason: 'Not started: cx-migration failed.' });
    expect(failed.rootCause).toMatchObject({ stackName: 'cx-migration', status: 'CHANGE_SET_FAILED', reason: expect.stringMatching(/^No export named cx-common-\w+ found\.?$/) });
    expect(failed.rootCause?.guidance).toMatch(/^cx-common is CREATE_COMPLETE yet has no \w+ output, so cx-common-\w+ is not exported/);
    // no stack of the run is left in progress, and the reason is in the event stream once, as the run's status
    const events = (await runEventsSince(failed.id, 0, 100_000)).map((e) => e.event);
    expect((await runStacks(failed.id)).every((s) => !['pending', 'previewed', 'in-progress'].includes(s.status))).toBe(true);
    const mentions = events.filter((e) => JSON.stringify(e).includes('No export named'));
    expect(mentions.map((e) => e.type)).toEqual(['run-status']);
  });

  it('keeps going, one bar per stack, when the endpoint reports only stack-level events', async () => {
    fixture.sandbox.setTimeScale(0.0005); // about outcomes, not timing
    fixture.sandbox.faults.emulate({ stackEventsOnly: true });
    const deployment = await createDeployment({ name: 'graph-quiet', plan: plan('qe', { grafana: false, otel: true, demo: false }), createdBy: 'alice' });
    const run = await deploy(deployment.id);
    expect(run.status).toBe('succeeded');
    const stackEvents = (await runEventsSince(run.id, 0, 100_000)).flatMap((e) => (e.event.type === 'stack-event' ? [e.event.event] : []));
    expect(stackEvents.length).toBeGreaterThan(0);
    expect(stackEvents.every((e) => e.resourceType === 'AWS::CloudFormation::Stack')).toBe(true);
    expect((await runStacks(run.id)).every((s) => s.status === 'complete')).toBe(true);
  });
});

/** Runs a deployment of vpc, common, migration and the collector as a process that stops dead once migration and the collector are in flight. */
async function runUntilInFlight(name: string, prefix: string) {
  const deployment = await createDeployment({ name, plan: plan(prefix, { grafana: false, otel: true, demo: false }), createdBy: 'alice' });
  const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
  await untilRun(run.id, ['awaiting-approval']);
  await setRunStatus(run.id, ['awaiting-approval'], 'running', 'Approved by alice.', { startedAt: new Date() });
  const stopped = new AbortController();
  const context = await contextFor(deployment, 'alice');
  const first = execute(
    {
      run: (await getRun(run.id))!,
      plan: deployment.plan,
      line: LINE_2025,
      scope: scopeOf(deployment.plan, LINE_2025, { kind: 'deploy' }),
      context,
      accessOf: () => ({ context, account: ACCOUNT }),
      secrets: () => ({}),
      pollMs: 50,
      signal: stopped.signal,
    },
    { timeoutMs: 600_000, maxParallel: 3 },
  );
  const inFlight = async () => (await runStacks(run.id)).filter((s) => s.status === 'in-progress' && s.startedAt).map((s) => s.stackId);
  for (let i = 0; i < 2000; i += 1) {
    const flying = await inFlight();
    if (flying.includes('migration') && flying.includes('otel')) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(await inFlight()).toEqual(['migration', 'otel']);
  stopped.abort();
  await expect(first).rejects.toThrow('The run was stopped.');
  expect((await runStacks(run.id)).filter((s) => s.status === 'in-progress').map((s) => s.stackId)).toEqual(['migration', 'otel']);
  return run;
}

async function expectFinishedOnce(runId: string, prefix: string) {
  expect((await untilRun(runId, ['succeeded', 'failed'])).status).toBe('succeeded');
  for (const id of ['migration', 'otel']) {
    const starts = (await allEvents(cfn, `${prefix}-${id}`)).filter((e) => e.LogicalResourceId === `${prefix}-${id}` && e.ResourceStatus === 'CREATE_IN_PROGRESS');
    expect(starts).toHaveLength(1);
  }
  expect((await runStacks(runId)).every((s) => s.status === 'complete')).toBe(true);
  return (await runEventsSince(runId, 0, 100_000)).flatMap((e) => (e.event.type === 'note' ? [e.event.message] : []));
}

describe('a console restart mid-run', () => {
  it('picks up every stack that was in flight: each is followed to its end, none started twice', async () => {
    const run = await runUntilInFlight('graph-restart', 'gs');
    // the next start resumes the run: both are followed, not started again, and the rest of the graph runs
    expect(await resumeRuns()).toBe(1);
    const notes = await expectFinishedOnce(run.id, 'gs');
    expect(notes).toContain('The console restarted; picking this run up where it was.');
    expect(notes).toContain('Following gs-migration again after the console restarted.');
    expect(notes).toContain('Following gs-otel again after the console restarted.');
  });
});

describe('a replica that dies mid-run', () => {
  it('keeps its run while its lease lives; once the lease lapses another replica takes the run over and finishes it', async () => {
    // Given a run that replica B was driving when it died, with B's lease still running
    const run = await runUntilInFlight('graph-takeover', 'gt');
    const dead = 'replica-b.internal/4242/abcdef';
    expect(await acquireLease(run.id, dead, 1500)).toBe(true);
    // when this replica looks for runs to take over, it leaves B's alone while the lease lives
    expect(await resumeRuns()).toBe(0);
    expect((await leaseOf(run.id))?.holder).toBe(dead);
    // then, once it lapses, takes the run over, and B can no longer renew it
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await resumeRuns()).toBe(1);
    expect((await leaseOf(run.id))?.holder).toBe(replicaId());
    expect(await renewLeases(dead, [run.id], 15_000)).toEqual(new Set());
    expect(await resumeRuns()).toBe(0);
    const notes = await expectFinishedOnce(run.id, 'gt');
    expect(notes).toContain(`The console replica driving this run (${dead}) stopped; ${replicaId()} picks it up where it was.`);
    // and the finished run's lease is given up
    expect(await leaseOf(run.id)).toBeUndefined();
  });
});
