import { describe, expect, it } from 'vitest';
import { defaultPlan, planStacks } from '@/lib/params/plan';
import { MASKED, PREVIOUS, resolveParameters } from './parameters';
import { deletes, followUpOf, operationGraph, planAfter, planDuring, scopeOf } from './scope';
import { ancestors } from '@/lib/params/graph';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';
import { toLineMeta } from '@/templates/line';
import { LINE_2025 } from '@/templates/line-2025';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';

const METAS = METAS_2025;
const plan = () => {
  const p = defaultPlan2025();
  p.include = { grafana: true, otel: true, demo: false };
  return p;
};
const ids = (scope: ReturnType<typeof scopeOf>) => scope.map((s) => s.stack.meta.id);

describe('which stacks a run touches', () => {
  it('deploys in plan order and tears down in reverse, leaving out what the plan leaves out', () => {
    expect(ids(scopeOf(plan(), LINE_2025, { kind: 'deploy' }))).toEqual(['vpc', 'common', 'migration', 'services', 'grafana', 'otel']);
    expect(ids(scopeOf(plan(), LINE_2025, { kind: 'teardown' }))).toEqual(['otel', 'grafana', 'services', 'migration', 'common', 'vpc']);
  });

  it('updates images in the setup task before the services, changing only the images given', () => {
    const scope = scopeOf(plan(), LINE_2025, { kind: 'update-images', images: { GoServicesImage: 'r/lakerunner:v2', ContainerImage: 'r/lakerunner:v2' } });
    expect(scope.map((s) => [s.stack.meta.id, s.overrides])).toEqual([
      ['migration', { ContainerImage: 'r/lakerunner:v2' }],
      ['services', { GoServicesImage: 'r/lakerunner:v2' }],
    ]);
    expect(ids(scopeOf(plan(), LINE_2025, { kind: 'update-images', images: { QueryApiImage: 'r/q:v2' } }))).toEqual(['services']);
  });

  it('resets Grafana and sets the OTLP endpoint on their own stacks only', () => {
    expect(scopeOf(plan(), LINE_2025, { kind: 'grafana-reset', token: 'reset-1' }).map((s) => [s.stack.meta.id, s.overrides])).toEqual([['grafana', { GrafanaResetToken: 'reset-1' }]]);
    expect(scopeOf(plan(), LINE_2025, { kind: 'otlp-endpoint', endpoint: '' }).map((s) => [s.stack.meta.id, s.overrides])).toEqual([['services', { OtelEndpoint: '' }]]);
    const noGrafana = plan();
    noGrafana.include.grafana = false;
    expect(scopeOf(noGrafana, LINE_2025, { kind: 'grafana-reset', token: 'x' })).toEqual([]);
  });

  it('changes task counts on the stacks they belong to, and keeps them in the plan', () => {
    const operation = { kind: 'update-sizes', sizes: { services: { QueryWorkerCount: '2', CompactLogsCount: '1' }, otel: { CollectorCount: '2' }, grafana: {} } } as const;
    expect(scopeOf(plan(), LINE_2025, operation).map((s) => [s.stack.meta.id, s.overrides])).toEqual([
      ['services', { QueryWorkerCount: '2', CompactLogsCount: '1' }],
      ['otel', { CollectorCount: '2' }],
    ]);
    const noCollector = plan();
    noCollector.include.otel = false;
    expect(ids(scopeOf(noCollector, LINE_2025, operation))).toEqual(['services']);
    const after = planAfter(plan(), LINE_2025, operation);
    expect([after.params.services?.QueryWorkerCount, after.params.services?.IngestLogsCount, after.params.otel?.CollectorCount]).toEqual(['2', '2', '2']);
  });

  it('keeps what an operation changed in the plan for the next deploy', () => {
    const after = planAfter(plan(), LINE_2025, { kind: 'update-images', images: { QueryWorkerImage: 'r/w:v3' } });
    expect(after.params.services?.QueryWorkerImage).toBe('r/w:v3');
    expect(planAfter(plan(), LINE_2025, { kind: 'otlp-endpoint', endpoint: 'http://c:4318' }).params.services?.OtelEndpoint).toBe('http://c:4318');
  });
});

describe('the parameters a stack is launched with', () => {
  const [, common, migration] = planStacks(plan(), METAS);

  it('fills pending inputs from upstream outputs and names the ones not known yet', () => {
    const resolved = resolveParameters({ stack: common!, upstreamOutputs: { vpc: { VpcId: 'vpc-0abc1234', PrivateSubnets: 'subnet-01,subnet-02' } }, secrets: {} });
    expect(resolved.parameters).toContainEqual({ ParameterKey: 'VpcId', ParameterValue: 'vpc-0abc1234' });
    expect(resolved.unresolved).toEqual(['PublicSubnets']);
    expect(resolveParameters({ stack: migration!, upstreamOutputs: {}, secrets: {} }).parameters).toContainEqual({ ParameterKey: 'CommonInfraStackName', ParameterValue: 'lakerunner-common' });
  });

  it('passes a secret given for this run, records it masked, and keeps the previous one otherwise', () => {
    const outputs = { vpc: { VpcId: 'vpc-0abc1234', PrivateSubnets: 'a,b', PublicSubnets: 'c,d' } };
    const given = resolveParameters({ stack: common!, upstreamOutputs: outputs, secrets: { ApiKeysOverride: '- organization_id: x' } });
    expect(given.parameters).toContainEqual({ ParameterKey: 'ApiKeysOverride', ParameterValue: '- organization_id: x' });
    expect(given.recorded.ApiKeysOverride).toBe(MASKED);
    const existingKeys = common!.meta.parameters.map((p) => p.key);
    const kept = resolveParameters({ stack: common!, upstreamOutputs: outputs, secrets: {}, existingKeys });
    expect(kept.parameters).toContainEqual({ ParameterKey: 'ApiKeysOverride', UsePreviousValue: true });
    expect(kept.recorded.ApiKeysOverride).toBe(PREVIOUS);
    const fresh = resolveParameters({ stack: common!, upstreamOutputs: outputs, secrets: {} });
    expect(fresh.parameters.find((p) => p.ParameterKey === 'ApiKeysOverride')).toBeUndefined();
  });

  it('changes only the overridden keys in an operation, keeping the rest, and gives new keys the plan value', () => {
    const [, , , services] = planStacks(plan(), METAS);
    const existingKeys = services!.meta.parameters.map((p) => p.key).filter((k) => k !== 'OtelEndpoint');
    const resolved = resolveParameters({ stack: services!, upstreamOutputs: {}, secrets: {}, existingKeys, overrides: { GoServicesImage: 'r/l:v9' } });
    expect(resolved.parameters).toContainEqual({ ParameterKey: 'GoServicesImage', ParameterValue: 'r/l:v9' });
    expect(resolved.parameters).toContainEqual({ ParameterKey: 'QueryApiImage', UsePreviousValue: true });
    expect(resolved.parameters).toContainEqual({ ParameterKey: 'OtelEndpoint', ParameterValue: '' });
  });
});

describe('a run on another release line', () => {
  // The fixture line has no Grafana, images in two stacks and its telemetry endpoint in the core.
  const line = FIXTURE_LINE;
  const fixturePlan = () => defaultPlan(toLineMeta(line));

  it('changes the images the line lists, in plan order, and nothing the line does not have', () => {
    const scope = scopeOf(fixturePlan(), line, { kind: 'update-images', images: { EdgeImage: 'edge:2', Image: 'core:2', GoServicesImage: 'x' } });
    expect(scope.map((s) => [s.stack.meta.id, s.overrides])).toEqual([
      ['core', { Image: 'core:2' }],
      ['edge', { EdgeImage: 'edge:2' }],
    ]);
    expect(planAfter(fixturePlan(), line, { kind: 'update-images', images: { EdgeImage: 'edge:2' } }).params.edge?.EdgeImage).toBe('edge:2');
  });

  it('sets the telemetry endpoint where the line keeps it, and has no Grafana to reset', () => {
    expect(scopeOf(fixturePlan(), line, { kind: 'otlp-endpoint', endpoint: 'http://c:4318' }).map((s) => [s.stack.meta.id, s.overrides])).toEqual([['core', { Telemetry: 'http://c:4318' }]]);
    expect(planAfter(fixturePlan(), line, { kind: 'otlp-endpoint', endpoint: 'http://c:4318' }).params.core?.Telemetry).toBe('http://c:4318');
    expect(scopeOf(fixturePlan(), line, { kind: 'grafana-reset', token: 't' })).toEqual([]);
    expect(followUpOf(line, { kind: 'grafana-reset', token: 't' })).toBeUndefined();
    expect(followUpOf(LINE_2025, { kind: 'grafana-reset', token: 't' })).toEqual({ GrafanaResetToken: '' });
  });

  it('deploys the line’s stacks in its order and tears them down in reverse', () => {
    expect(ids(scopeOf(fixturePlan(), line, { kind: 'deploy' }))).toEqual(['net', 'core', 'edge']);
    expect(ids(scopeOf(fixturePlan(), line, { kind: 'teardown' }))).toEqual(['edge', 'core', 'net']);
  });
});

describe('a settings change of a value several stacks share', () => {
  it('changes it in every stack that takes it (the app load balancer scheme of the current line)', async () => {
    const { LINE_CURRENT } = await import('@/templates/current/line');
    const current = defaultPlan(toLineMeta(LINE_CURRENT));
    const scope = scopeOf(current, LINE_CURRENT, { kind: 'update-settings', settings: { services: { AlbScheme: 'internet-facing' } } });
    expect(scope.map((s) => [s.stack.meta.id, s.overrides])).toEqual([
      ['infra-base', { AlbScheme: 'internet-facing' }],
      ['services', { AlbScheme: 'internet-facing' }],
    ]);
  });
});

describe('an add-on as its own operation (the current line’s CloudWatch metrics stream)', () => {
  const currentPlanWithout = async () => {
    const { LINE_CURRENT } = await import('@/templates/current/line');
    const p = defaultPlan(toLineMeta(LINE_CURRENT));
    p.include = { ...p.include, cwmetrics: false };
    return { line: LINE_CURRENT, plan: p };
  };

  it('adds only its stack, with the plan’s values and the settings given, and keeps it in the plan', async () => {
    const { line, plan } = await currentPlanWithout();
    const operation = { kind: 'add-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/Billing' } } as const;
    const scope = scopeOf(plan, line, operation);
    expect(scope.map((s) => [s.stack.meta.id, s.delete, s.overrides])).toEqual([['cwmetrics', undefined, undefined]]);
    expect(scope[0]!.stack.values.ExcludeNamespace).toBe('AWS/Billing');
    expect(scope[0]!.stack.values.FirehoseBufferSeconds).toBe('300');
    const after = planAfter(plan, line, operation);
    expect([after.include.cwmetrics, after.params.cwmetrics?.ExcludeNamespace]).toEqual([true, 'AWS/Billing']);
    expect(plan.include.cwmetrics).toBe(false);
  });

  it('changes only its settings on its stack, and keeps the change in the plan', async () => {
    const { line, plan } = await currentPlanWithout();
    plan.include.cwmetrics = true;
    const operation = { kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: '' } } as const;
    expect(scopeOf(plan, line, operation).map((s) => [s.stack.meta.id, s.delete, s.overrides])).toEqual([['cwmetrics', undefined, { ExcludeNamespace: '' }]]);
    expect(planAfter(plan, line, operation).params.cwmetrics?.ExcludeNamespace).toBe('');
  });

  it('deletes only its stack, records it off in the plan, and a teardown still deletes every stack', async () => {
    const { line, plan } = await currentPlanWithout();
    plan.include.cwmetrics = true;
    const operation = { kind: 'remove-addon', stack: 'cwmetrics' } as const;
    const scope = scopeOf(plan, line, operation);
    expect(scope.map((s) => [s.stack.meta.id, s.delete])).toEqual([['cwmetrics', true]]);
    expect(deletes(scope, 'cwmetrics')).toBe(true);
    expect(deletes(scope, 'satellite-infra-base')).toBe(false);
    const after = planAfter(plan, line, operation);
    expect(after.include.cwmetrics).toBe(false);
    expect(ids(scopeOf(after, line, { kind: 'deploy' }))).not.toContain('cwmetrics');
    const teardown = scopeOf(plan, line, { kind: 'teardown' });
    expect(teardown.every((s) => s.delete === true)).toBe(true);
    expect(ids(teardown)[0]).toBe('cwmetrics');
    expect(scopeOf(plan, line, { kind: 'deploy' }).some((s) => s.delete)).toBe(false);
  });

  it('tears a deployment spread over two accounts down account by account: the satellite’s account first', async () => {
    const { line, plan } = await currentPlanWithout();
    plan.include.cwmetrics = true;
    plan.accounts = { satellite: { accountId: '222222222222', region: plan.region, roleArn: 'arn:aws:iam::222222222222:role/LakerunnerDeploy', externalId: '' } };
    const order = ids(scopeOf(plan, line, { kind: 'teardown' }));
    const inB = ['cwmetrics', 'satellite-services', 'satellite-infra-base'];
    expect(order.slice(0, 3)).toEqual(inB);
    expect(order.slice(3)).toEqual(ids(scopeOf(plan, line, { kind: 'deploy' })).filter((id) => !inB.includes(id)).reverse());
    const graph = operationGraph(plan, line.stacks, order, 'teardown');
    expect(graph.ids).toEqual(order);
    // every stack of account A waits, directly or not, for every stack of account B
    for (const id of order.slice(3)) for (const b of inB) expect(ancestors(graph, id).has(b), `${id} after ${b}`).toBe(true);
    // in one account the order is the plain reverse of the deployment
    delete plan.accounts;
    expect(ids(scopeOf(plan, line, { kind: 'teardown' }))).toEqual(ids(scopeOf(plan, line, { kind: 'deploy' })).reverse());
  });

  it('touches nothing when the plan’s line has no such stack', async () => {
    const { line, plan } = await currentPlanWithout();
    expect(scopeOf(plan, line, { kind: 'remove-addon', stack: 'cwmetrics' })).toEqual([]);
    expect(planDuring(plan, { kind: 'deploy' })).toBe(plan);
  });
});
