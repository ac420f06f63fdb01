import { CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, ListImportsCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { type Plan } from '@/lib/params/plan';
import { sizeParams } from '@/lib/params/sizes';
import { createDeployment, getDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun, runStacks } from '@/lib/store/runs';
import { approveRun, cancelRun, contextFor, prepareRun, RunRefusedError } from './engine';
import { phasesOf } from './recreate';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';
import type { RunStackView } from './types';

const ACCOUNT = '111111111111';

engineOnSandbox('recreate');

function plan(name: string): Plan {
  const p = namedPlan2025(name, { grafana: true, otel: false, demo: false });
  for (const param of sizeParams(METAS_2025)) p.params[param.stackId]![param.key] = param.proofOfConcept;
  return p;
}

async function deployed(name: string) {
  const deployment = await createDeployment({ name, plan: plan(name), createdBy: 'alice' });
  const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: ACCOUNT });
  await untilRun(run.id, ['awaiting-approval']);
  await approveRun(run.id, 'alice');
  expect((await untilRun(run.id, ['succeeded', 'failed'])).status).toBe('succeeded');
  return deployment;
}

const describeStack = async (deploymentId: string, name: string) =>
  (await (await contextFor((await getDeployment(deploymentId))!, 'alice')).cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;

describe('a change CloudFormation would refuse half-way, run as one approved plan', () => {
  it('deletes the stacks importing the load balancer, changes its scheme, and creates them again', async () => {
    // Given a deployed plan with Grafana
    const deployment = await deployed('scheme');
    const before = await describeStack(deployment.id, 'scheme-common');
    const albArn = before.Outputs!.find((o) => o.OutputKey === 'AlbArn')!.OutputValue;
    const servicesId = (await describeStack(deployment.id, 'scheme-services')).StackId;

    // When the load balancer becomes internet-facing
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'update-settings', settings: { common: { AlbScheme: 'internet-facing', AlbAllowPlainHttp: 'Yes' } } }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);

    // then the preview updates common and removes, then creates again, the stacks that import it
    const previewed = await runStacks(run.id);
    expect(previewed.map((s) => [s.stackId, s.action, s.status])).toEqual([
      ['common', 'update', 'previewed'],
      ['services', 'recreate', 'previewed'],
      ['grafana', 'recreate', 'previewed'],
    ]);
    // the load balancer is replaced; its listeners follow its new ARN (a dynamic, conditional replacement, as AWS reports it)
    const replacements = Object.fromEntries((previewed.find((s) => s.stackId === 'common')?.changes ?? []).map((c) => [c.logicalId, c.replacement]));
    expect(replacements).toMatchObject({ LoadBalancer: 'True', QueryApiListener: 'Conditional', GrafanaListener: 'Conditional' });
    const grafana = previewed.find((s) => s.stackId === 'grafana')!;
    expect(grafana.changes?.some((c) => c.action === 'Remove' && c.logicalId === 'GrafanaService')).toBe(true);
    expect(grafana.changes?.some((c) => c.action === 'Add' && c.logicalId === 'GrafanaService')).toBe(true);
    const request = (await getRun(run.id))!.request as { recreate: { stacks: string[]; because: { stackId: string; change: string; exports: string[]; importers: string[] }[] } };
    expect(request.recreate.stacks).toEqual(['services', 'grafana']);
    expect(request.recreate.because[0]).toMatchObject({ stackId: 'common', change: 'AlbScheme', importers: ['services', 'grafana'] });
    expect(request.recreate.because[0]!.exports).toEqual(expect.arrayContaining(['scheme-common-AlbDnsName', 'scheme-common-QueryApiListenerArn', 'scheme-common-GrafanaListenerArn']));

    // approving needs the deployment's name
    await expect(approveRun(run.id, 'alice')).rejects.toBeInstanceOf(RunRefusedError);
    await approveRun(run.id, 'alice', 'scheme');
    const done = await untilRun(run.id, ['succeeded', 'failed']);
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('succeeded');

    // every row ends complete; each recreated stack went in-progress, waiting, in-progress, complete
    expect((await runStacks(run.id)).map((s) => [s.stackId, s.status])).toEqual([
      ['common', 'complete'],
      ['services', 'complete'],
      ['grafana', 'complete'],
    ]);
    const events = await runEventsSince(run.id, 0, 100_000);
    const statuses = (id: string) =>
      events.flatMap((e) => (e.event.type === 'stack-status' && e.event.stackId === id ? [e.event.status] : [])).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses('grafana')).toEqual(['previewed', 'in-progress', 'waiting', 'in-progress', 'complete']);
    // deleted before common changed, created after
    const order = events.flatMap((e) => (e.event.type === 'stack-status' ? [`${e.event.stackId}:${e.event.status}:${e.event.stackStatus ?? ''}`] : []));
    const at = (text: string) => order.findIndex((o) => o.startsWith(text));
    expect(at('services:waiting')).toBeLessThan(at('common:in-progress'));
    expect(at('common:complete')).toBeLessThan(order.findLastIndex((o) => o.startsWith('services:in-progress')));

    // and AWS agrees: a new load balancer, new stacks, the plan remembers the scheme
    const after = await describeStack(deployment.id, 'scheme-common');
    expect(after.StackStatus).toBe('UPDATE_COMPLETE');
    expect(after.Parameters!.find((p) => p.ParameterKey === 'AlbScheme')?.ParameterValue).toBe('internet-facing');
    expect(after.Outputs!.find((o) => o.OutputKey === 'AlbArn')!.OutputValue).not.toBe(albArn);
    const services = await describeStack(deployment.id, 'scheme-services');
    expect(services.StackStatus).toBe('CREATE_COMPLETE');
    expect(services.StackId).not.toBe(servicesId);
    expect((await getDeployment(deployment.id))?.plan.params.common?.AlbScheme).toBe('internet-facing');
    expect((await getDeployment(deployment.id))?.status).toBe('deployed');
  });

  it('stops at the preview when a stack outside the deployment imports a changing export, naming it', async () => {
    const deployment = await deployed('outside');
    const cfn = (await contextFor(deployment, 'alice')).cloudFormation;
    await cfn.send(
      new CreateStackCommand({
        StackName: 'dashboard-proxy',
        TemplateBody: JSON.stringify({ Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: { 'Fn::ImportValue': 'outside-common-AlbDnsName' } } } } }),
      }),
    );
    for (let i = 0; i < 200 && !(await cfn.send(new ListImportsCommand({ ExportName: 'outside-common-AlbDnsName' })).catch(() => undefined))?.Imports?.includes('dashboard-proxy'); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'update-settings', settings: { common: { AlbScheme: 'internet-facing', AlbAllowPlainHttp: 'Yes' } } }, confirmedAccount: ACCOUNT });
    const stopped = await untilRun(run.id, ['failed', 'awaiting-approval']);
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toMatch(/CloudFormation would refuse this update of outside-common half-way .* and dashboard-proxy imports/);
    expect(stopped.error).toContain('not part of this run');
    // nothing was deleted
    expect((await describeStack(deployment.id, 'outside-grafana')).StackStatus).toBe('CREATE_COMPLETE');
    await cfn.send(new DeleteStackCommand({ StackName: 'dashboard-proxy' }));
  });

  it('needs no recreation for changes whose exports nobody imports, and cancels cleanly', async () => {
    const deployment = await getDeploymentByName('outside');
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'update-settings', settings: { common: { DbEngineVersion: '17.8' } } }, confirmedAccount: ACCOUNT });
    await untilRun(run.id, ['awaiting-approval']);
    expect((await runStacks(run.id)).map((s) => [s.stackId, s.action])).toEqual([['common', 'update']]);
    expect(((await getRun(run.id))!.request as { recreate?: unknown }).recreate).toBeUndefined();
    await cancelRun(run.id, 'alice');
  });
});

describe('the phases of such a run', () => {
  const row = (stackId: RunStackView['stackId'], action: RunStackView['action']) => ({ stackId, action }) as RunStackView;
  it('deletes the recreated stacks newest first, changes the others, then creates the recreated ones and what comes after them', () => {
    const phases = phasesOf(METAS_2025, [row('vpc', 'update'), row('common', 'update'), row('migration', 'update'), row('services', 'recreate'), row('grafana', 'recreate'), row('otel', 'update'), row('demo', 'recreate')]);
    expect(phases.map((p) => [p.phase, p.graph.ids])).toEqual([
      ['remove', ['demo', 'grafana', 'services']],
      ['apply', ['vpc', 'common', 'migration', 'otel']],
      ['create', ['services', 'grafana', 'demo']],
    ]);
    expect(phases[0]!.graph.deps.services).toEqual(['grafana', 'demo']);
    // services wait for common through the migration stack, which the settings run leaves out
    const settings = phasesOf(METAS_2025, [row('common', 'update'), row('services', 'recreate'), row('grafana', 'recreate')]);
    expect(settings[2]!.graph.deps).toEqual({ services: [], grafana: ['services'] });
  });
});

import { findDeploymentByName } from '@/lib/store/deployments';
import { METAS_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';
const getDeploymentByName = async (name: string) => (await findDeploymentByName(name))!;
