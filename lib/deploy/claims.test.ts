// Run status changes are compare-and-set, and approving and cancelling claim the run first: an
// approval and a cancel racing for one previewed run end with exactly one of them done, on one
// replica or across two, and a change from an unexpected status stores nothing.
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import type { Plan } from '@/lib/params/plan';
import { CORE_ONLY_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';
import { createDeployment } from '@/lib/store/deployments';
import { acquireLease, releaseLease } from '@/lib/store/leases';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun } from '@/lib/store/runs';
import { approveRun, cancelRun, contextFor, prepareRun, RunRefusedError } from './engine';
import { RunStatusChanged, setRunStatus } from './runtime';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';

const ACCOUNT = '111111111111';
engineOnSandbox('claims');

const plan = (prefix: string): Plan => namedPlan2025(prefix, CORE_ONLY_2025);

async function previewed(prefix: string) {
  const deployment = await createDeployment({ name: prefix, plan: plan(prefix), createdBy: 'alice' });
  const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
  await untilRun(run.id, ['awaiting-approval']);
  return { deployment, run };
}

const outcome = (promise: Promise<unknown>) => promise.then(() => 'done' as const, (error: unknown) => (error instanceof RunRefusedError ? ('refused' as const) : Promise.reject(error)));

describe('approving and cancelling one run at once', () => {
  it.each([
    ['cancel first', true],
    ['approve first', false],
  ])('%s: exactly one of them happens, and the run, its events and its stacks agree', async (_, cancelFirst) => {
    const { deployment, run } = await previewed(cancelFirst ? 'race-c' : 'race-a');
    const cancel = () => outcome(cancelRun(run.id, 'bob'));
    const approve = () => outcome(approveRun(run.id, 'alice'));
    const [cancelled, approved] = cancelFirst ? await Promise.all([cancel(), approve()]) : (await Promise.all([approve(), cancel()])).reverse();
    // whichever claims the run first wins; the other is refused
    expect([cancelled, approved].sort()).toEqual(['done', 'refused']);
    const settled = await untilRun(run.id, ['succeeded', 'failed', 'cancelled']);
    const statuses = (await runEventsSince(run.id, 0, 100_000)).flatMap((e) => (e.event.type === 'run-status' ? [e.event.status] : []));
    const cfn = (await contextFor(deployment, 'alice')).cloudFormation;
    const vpc = await cfn.send(new DescribeStacksCommand({ StackName: `${deployment.plan.stackNames.vpc}` })).then(
      (r) => r.Stacks?.[0]?.StackStatus,
      () => 'gone',
    );
    if (cancelled === 'done') {
      expect(settled.status).toBe('cancelled');
      expect(statuses).toEqual(['awaiting-approval', 'cancelled']);
      expect(vpc).toBe('gone');
    } else {
      expect(settled.status).toBe('succeeded');
      expect(statuses).toEqual(['awaiting-approval', 'running', 'succeeded']);
      expect(vpc).toBe('CREATE_COMPLETE');
    }
  });

  it('while another replica holds the claim, neither approving nor cancelling goes ahead here', async () => {
    const { run } = await previewed('claimed');
    expect(await acquireLease(run.id, 'replica-b/7/abc', 60_000)).toBe(true);
    await expect(approveRun(run.id, 'alice')).rejects.toThrow('This run was approved or cancelled meanwhile.');
    await expect(cancelRun(run.id, 'alice')).rejects.toThrow('This run is being approved or cancelled on another console replica.');
    expect((await getRun(run.id))?.status).toBe('awaiting-approval');
    await releaseLease(run.id, 'replica-b/7/abc');
    await cancelRun(run.id, 'alice');
    expect((await getRun(run.id))?.status).toBe('cancelled');
  });

  it('a status is set only from the status expected: otherwise nothing is stored', async () => {
    const { run } = await previewed('cas');
    const before = await runEventsSince(run.id, 0, 100_000);
    await expect(setRunStatus(run.id, ['running'], 'succeeded', 'Done.')).rejects.toBeInstanceOf(RunStatusChanged);
    expect((await getRun(run.id))?.status).toBe('awaiting-approval');
    expect(await runEventsSince(run.id, 0, 100_000)).toEqual(before);
    await cancelRun(run.id, 'alice');
    // a cancelled run cannot be approved afterwards either
    await expect(approveRun(run.id, 'alice')).rejects.toThrow('This run is cancelled; only a previewed run can be approved.');
  });
});
