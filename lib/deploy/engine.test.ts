import { CreateStackCommand, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { type Plan } from '@/lib/params/plan';
import { createDeployment, findDeploymentByName, getDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun, runStacks, StackLockedError } from '@/lib/store/runs';
import { approveRun, cancelRun, contextFor, prepareRun, recoverRun, RunRefusedError } from './engine';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { isTaskRunning, startTask } from './runtime';
import { untilRun } from './testing/until';
import { namedPlan2025 } from '@/lib/plan/testing/line-2025';

const ACCOUNT = '111111111111';

const fixture = engineOnSandbox('engine');

const plan = (name: string, prefix: string, include = { grafana: true, otel: true, demo: true }): Plan => namedPlan2025(name, include, prefix);

describe('the deploy engine on the sandbox', () => {
  it('previews, then deploys a whole new-VPC plan in order once approved', async () => {
    // given a plan with every stack
    const deployment = await createDeployment({ name: 'full', plan: plan('full', 'full'), createdBy: 'alice' });
    // when the run is prepared
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);
    // then the VPC has a real change set, later stacks a template preview, and nothing exists yet
    const previewed = await runStacks(run.id);
    expect(previewed.map((s) => s.stackId)).toEqual(['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo']);
    expect(previewed[0]).toMatchObject({ action: 'create', status: 'previewed', changesFromTemplate: false });
    expect(previewed[0]!.changes!.length).toBeGreaterThan(10);
    expect(previewed[1]).toMatchObject({ status: 'previewed', changesFromTemplate: true });
    const cfn = (await contextFor((await getDeployment(deployment.id))!, 'alice')).cloudFormation;
    const vpcBefore = await cfn.send(new DescribeStacksCommand({ StackName: 'full-vpc' }));
    expect(vpcBefore.Stacks?.[0]?.StackStatus).toBe('REVIEW_IN_PROGRESS');

    // when approved
    await approveRun(run.id, 'alice');
    const done = await untilRun(run.id, ['succeeded', 'failed']);
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('succeeded');
    const stacks = await runStacks(run.id);
    expect(stacks.every((s) => s.status === 'complete')).toBe(true);
    expect(stacks.find((s) => s.stackId === 'grafana')?.outputs?.GrafanaAdminSecretArn).toMatch(/^arn:aws:secretsmanager:/);
    expect((await getDeployment(deployment.id))?.status).toBe('deployed');
    // every stack's parameters are on record, as launched, the plan-filled ones included
    expect(Object.keys(done.parameters ?? {}).sort()).toEqual([...previewed.map((s) => s.stackId)].sort());
    expect(done.parameters?.common?.VpcId).toMatch(/^vpc-/);
    expect(done.parameters?.services?.CommonInfraStackName).toBe('full-common');

    // the stream holds the stacks' events in order, each once, and the stack statuses
    const events = (await runEventsSince(run.id, 0, 100_000)).map((e) => e.event);
    const ids = events.flatMap((e) => (e.type === 'stack-event' ? [e.event.eventId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    const firstEventOf = (id: string) => events.findIndex((e) => e.type === 'stack-event' && e.stackId === id);
    expect(firstEventOf('vpc')).toBeLessThan(firstEventOf('common'));
    expect(firstEventOf('common')).toBeLessThan(firstEventOf('services'));
    expect(events.at(-1)).toEqual({ type: 'run-status', status: 'succeeded', message: 'Done.' });
  });

  it('refuses a second run on the same stacks while one holds them, naming it', async () => {
    const deployment = await createDeployment({ name: 'locked', plan: plan('locked', 'locked', { grafana: false, otel: false, demo: false }), createdBy: 'alice' });
    const first = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    const second = prepareRun({ deploymentId: deployment.id, user: 'bob', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await expect(second).rejects.toBeInstanceOf(StackLockedError);
    await expect(second).rejects.toThrow(`in use by run ${first.id}`);
    await untilRun(first.id, ['awaiting-approval']);
    await cancelRun(first.id, 'alice');
    expect((await getRun(first.id))?.status).toBe('cancelled');
    // the review stacks made for the preview are gone again, and the locks are free
    const cfn = (await contextFor(deployment, 'alice')).cloudFormation;
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'locked-vpc' }))).rejects.toThrow(/does not exist/);
    const again = await prepareRun({ deploymentId: deployment.id, user: 'bob', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await untilRun(again.id, ['awaiting-approval']);
    await cancelRun(again.id, 'bob');
  });

  it('waits, instead of refusing, for a preview that has shown its changes but not yet let go of its run', async () => {
    const deployment = await createDeployment({ name: 'lettinggo', plan: plan('lettinggo', 'lettinggo', { grafana: false, otel: false, demo: false }), createdBy: 'alice' });
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);
    // given the run's task still going in this process (as a preview's is for a moment after it shows its changes)
    let ended = 0;
    void startTask(run.id, async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      ended = Date.now();
    });
    expect(isTaskRunning(run.id)).toBe(true);
    // when it is cancelled meanwhile, then the cancel waits for the task to end, and goes through
    await cancelRun(run.id, 'alice');
    expect(ended).toBeGreaterThan(0);
    expect((await getRun(run.id))?.status).toBe('cancelled');
  });

  it('refuses a run for another account than the confirmed one', async () => {
    const deployment = await createDeployment({ name: 'other-account', plan: plan('other-account', 'oa'), createdBy: 'alice' });
    await expect(prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: '222222222222' })).rejects.toBeInstanceOf(RunRefusedError);
  });

  it('stops at a failed stack with its root cause, recovers it, and resumes to success', async () => {
    const deployment = await createDeployment({ name: 'failing', plan: plan('failing', 'fail', { grafana: false, otel: false, demo: false }), createdBy: 'alice' });
    fixture.sandbox.faults.failResource({ stackName: 'fail-services', logicalId: 'QueryApiService', operation: 'create', reason: 'Injected: tasks failed to start' });
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);
    await approveRun(run.id, 'alice');
    const failed = await untilRun(run.id, ['succeeded', 'failed']);
    expect(failed.status).toBe('failed');
    expect(failed.rootCause).toMatchObject({ stackName: 'fail-services', logicalId: 'QueryApiService', status: 'CREATE_FAILED', reason: 'Injected: tasks failed to start' });
    const stacks = await runStacks(run.id);
    expect(stacks.find((s) => s.stackId === 'services')).toMatchObject({ status: 'failed', stackStatus: 'ROLLBACK_COMPLETE' });
    expect(stacks.find((s) => s.stackId === 'migration')?.status).toBe('complete');

    // a new deploy is refused until the stack is recovered
    const blocked = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
    expect((await untilRun(blocked.id, ['failed'])).error).toMatch(/fail-services is in ROLLBACK_COMPLETE .* recover it first/);

    const recovery = await recoverRun({ deploymentId: deployment.id, stackId: 'services', user: 'alice', skipResources: [], confirmedAccount: ACCOUNT });
    expect((await untilRun(recovery.id, ['succeeded', 'failed'])).status).toBe('succeeded');

    const resume = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT, resumedFrom: run.id });
    await untilRun(resume.id, ['awaiting-approval']);
    const preview = await runStacks(resume.id);
    expect(preview.filter((s) => s.status === 'unchanged').map((s) => s.stackId)).toEqual(['vpc', 'common', 'migration']);
    await approveRun(resume.id, 'alice');
    expect((await untilRun(resume.id, ['succeeded', 'failed'])).status).toBe('succeeded');
  });

  it('updates images through a change set that modifies only the task definitions and services', async () => {
    const deployment = await getDeploymentByName('failing');
    const run = await prepareRun({
      deploymentId: deployment.id,
      user: 'alice',
      operation: { kind: 'update-images', images: { GoServicesImage: 'public.ecr.aws/cardinalhq.io/lakerunner:v1.2.2', ContainerImage: 'public.ecr.aws/cardinalhq.io/lakerunner:v1.2.2' } },
      confirmedAccount: ACCOUNT,
    });
    await untilRun(run.id, ['awaiting-approval']);
    const [migration, services] = await runStacks(run.id);
    expect(migration?.stackId).toBe('migration');
    expect(services?.changes?.every((c) => c.action === 'Modify' || c.action === 'Add' || c.action === 'Remove')).toBe(true);
    expect(services?.changes?.some((c) => c.resourceType === 'AWS::ECS::TaskDefinition' && c.replacement === 'True')).toBe(true);
    expect(services?.changes?.some((c) => c.resourceType === 'AWS::RDS::DBInstance')).toBe(false);
    await approveRun(run.id, 'alice');
    expect((await untilRun(run.id, ['succeeded', 'failed'])).status).toBe('succeeded');
    expect((await getDeployment(deployment.id))?.plan.params.services?.GoServicesImage).toBe('public.ecr.aws/cardinalhq.io/lakerunner:v1.2.2');
  });

  it('refuses, in the preview, a PostgreSQL version below the one RDS runs (RDS may be ahead of the template); a higher one previews', async () => {
    // given a database created with the major version alone, which RDS runs at its default minor
    const deployment = await getDeploymentByName('failing');
    expect(deployment.plan.params.common?.DbEngineVersion).toBe('17');
    // when a settings change asks for a lower minor, then the preview stops and names both versions
    const lower = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'update-settings', settings: { common: { DbEngineVersion: '17.5' } } }, confirmedAccount: ACCOUNT });
    expect((await untilRun(lower.id, ['failed', 'awaiting-approval'])).error).toMatch(/fail-common: PostgreSQL version 17\.5 is below 17\.7, the version .* runs now .* may only rise: choose 17\.7 or later/);
    // and a higher one gets its change set, modifying the database in place
    const higher = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'update-settings', settings: { common: { DbEngineVersion: '17.9' } } }, confirmedAccount: ACCOUNT });
    await untilRun(higher.id, ['awaiting-approval']);
    const [common] = await runStacks(higher.id);
    expect(common?.changes?.find((c) => c.logicalId === 'Database')).toMatchObject({ action: 'Modify', replacement: 'False' });
    await cancelRun(higher.id, 'alice');
  });

  it('tears down in reverse order, refusing while a stack outside the deployment imports an export', async () => {
    const deployment = await getDeploymentByName('failing');
    const cfn = (await contextFor(deployment, 'alice')).cloudFormation;
    await cfn.send(
      new CreateStackCommand({
        StackName: 'outsider',
        TemplateBody: JSON.stringify({
          Resources: { Log: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: { 'Fn::ImportValue': 'fail-common-ClusterName' } } } },
        }),
      }),
    );
    const refused = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'teardown' }, confirmedAccount: ACCOUNT });
    expect((await untilRun(refused.id, ['failed', 'awaiting-approval'])).error).toMatch(/fail-common cannot be deleted: outsider still imports its export fail-common-ClusterName/);

    // once the outsider is gone, the teardown removes the stacks, the last created first
    await cfn.send(new DeleteStackCommand({ StackName: 'outsider' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const teardown = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'teardown' }, confirmedAccount: ACCOUNT });
    await untilRun(teardown.id, ['awaiting-approval']);
    const previewed = await runStacks(teardown.id);
    expect(previewed.map((s) => [s.stackName, s.action])).toEqual([
      ['fail-services', 'delete'],
      ['fail-migration', 'delete'],
      ['fail-common', 'delete'],
      ['fail-vpc', 'delete'],
    ]);
    // the database's deletion protection goes off first, as a change of its own in the preview
    const common = previewed.find((s) => s.stackId === 'common')!;
    expect(common.changeSetId).toMatch(/before-delete/);
    expect(common.changes?.[0]).toMatchObject({ action: 'Modify', logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance' });
    expect(common.changes?.[0]?.details?.join(' ')).toContain('DeletionProtection');
    expect(common.changes?.slice(1).every((c) => c.action === 'Remove')).toBe(true);
    expect(previewed.filter((s) => s.stackId !== 'common').every((s) => !s.changeSetId)).toBe(true);
    const notes = (await runEventsSince(teardown.id, 0, 100_000)).flatMap((e) => (e.event.type === 'note' ? [e.event.message] : []));
    expect(notes).toContain('fail-common: the teardown first sets DbDeletionProtection false (CloudFormation cannot delete the stack otherwise), then deletes it.');
    await approveRun(teardown.id, 'alice');
    expect((await untilRun(teardown.id, ['succeeded', 'failed'])).status).toBe('succeeded');
    const started = (await runEventsSince(teardown.id, 0, 100_000)).flatMap((e) => (e.event.type === 'stack-status' && e.event.status === 'in-progress' ? [e.event.stackName] : []));
    expect([...new Set(started)]).toEqual(['fail-services', 'fail-migration', 'fail-common', 'fail-vpc']);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'fail-common' }))).rejects.toThrow(/does not exist/);
    // the protection was switched off by an update before the delete, in that order
    const commonEvents = (await runEventsSince(teardown.id, 0, 100_000)).flatMap((e) =>
      e.event.type === 'stack-event' && e.event.stackId === 'common' && e.event.event.logicalId === 'fail-common' ? [e.event.event.status] : [],
    );
    expect(commonEvents.indexOf('UPDATE_COMPLETE')).toBeGreaterThanOrEqual(0);
    expect(commonEvents.indexOf('UPDATE_COMPLETE')).toBeLessThan(commonEvents.indexOf('DELETE_IN_PROGRESS'));
    expect((await getDeployment(deployment.id))?.status).toBe('deleted');
  });
});

const getDeploymentByName = async (name: string) => (await findDeploymentByName(name))!;
