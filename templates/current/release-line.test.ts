// The current line's data: what the generic code reads of it (access points, manual steps,
// discovery, sizes, prices, the plan's settled values).
import { describe, expect, it } from 'vitest';
import { estimate } from '@/lib/cost/estimate';
import { usd } from '@/lib/cost/format';
import { costsMarkdown } from '@/lib/cost/markdown';
import { defaultPlan, planStacks, type Plan } from '@/lib/params/plan';
import { sizeParams, sizeValue } from '@/lib/params/sizes';
import { renderPlan } from '@/lib/plan';
import { resourceGuidance } from '@/lib/deploy/root-cause';
import { toEstimateStack } from '@/lib/plan/estimate';
import { lineMeta } from '../index';
import type { FoundStack } from '../line';
import { LINE_CURRENT, stackIdPrefix } from './line';
import { CURRENT_RELEASE } from './manifest';

const meta = lineMeta('current');
const ORG = '0f1e2d3c-4b5a-4968-8776-655443322110';
const SATELLITE_ARN = 'arn:aws:cloudformation:us-east-1:111111111111:stack/cardinal-satellite-services/5e6f7a8b-1c2d-4e3f-9a0b-112233445566';
const OUTPUTS = {
  services: { MaestroUrl: 'https://lr.example.com/', QueryApiUrl: 'https://lr.example.com/api/v1/query/', AlbDnsName: 'alb-1.elb.amazonaws.com' },
  'satellite-services': { CollectorEndpoint: 'http://collector-1.elb.amazonaws.com:4318' },
  'satellite-infra-base': { RawBucketName: 'cardinal-otel-raw-111111111111-us-east-1', LakerunnerAccessRoleArn: 'arn:aws:iam::111111111111:role/cardinal-satellite-access', Region: 'us-east-1' },
  'infra-base': { CookedBucketName: 'cardinal-cooked-111111111111-us-east-1' },
};

function plan(change: (p: Plan) => void = () => {}): Plan {
  const p = defaultPlan(meta);
  p.params.services!.OrganizationId = ORG;
  change(p);
  return p;
}
const view = (p: Plan) => ({ outputs: OUTPUTS, stackArns: { 'satellite-services': SATELLITE_ARN }, region: 'us-east-1', plan: p });

describe('the current line', () => {
  it('is the line new plans start on, installing the release manifest', () => {
    expect(LINE_CURRENT.release).toBe(`lakerunner ${CURRENT_RELEASE.images.lakerunner.tag}, maestro ${CURRENT_RELEASE.images.maestro.tag} (upstream ${CURRENT_RELEASE.version})`);
    expect(defaultPlan(meta)).toMatchObject({ release: 'current', include: { cluster: true, cwmetrics: false }, imageRegistry: '' });
  });

  it('shows Maestro with the Dex admin, the query API, the collector and both buckets', () => {
    const p = plan((x) => (x.params.services!.PublicDnsName = 'lr.example.com'));
    expect(LINE_CURRENT.accessPoints(OUTPUTS, view(p))).toEqual([
      { kind: 'link', label: 'Maestro', url: 'https://lr.example.com/' },
      { kind: 'code', label: 'Maestro sign-in (Dex admin)', value: 'admin@cardinal.local, with the password whose hash the plan gave' },
      { kind: 'code', label: 'Query API', value: 'https://lr.example.com/api/v1/query/' },
      { kind: 'code', label: 'CNAME lr.example.com to', value: 'alb-1.elb.amazonaws.com' },
      { kind: 'code', label: 'OTLP/HTTP collector', value: 'http://collector-1.elb.amazonaws.com:4318' },
      { kind: 'bucket', label: 'Raw bucket', bucket: 'cardinal-otel-raw-111111111111-us-east-1', prefixes: ['otel-raw/'] },
      { kind: 'bucket', label: 'Cooked bucket', bucket: 'cardinal-cooked-111111111111-us-east-1', prefixes: [] },
    ]);
    expect(LINE_CURRENT.accessPoints({})).toEqual([]);
  });

  it('asks to map the raw bucket in Maestro with the exact values, and the CloudWatch prefix when the stream is on', () => {
    expect(stackIdPrefix(SATELLITE_ARN)).toBe('5e6f7a8b');
    const [bucket, ...rest] = LINE_CURRENT.manualSteps!(view(plan()));
    expect(rest).toEqual([]);
    expect(bucket).toMatchObject({ id: 'map-raw-bucket' });
    expect(bucket?.values).toEqual([
      { label: 'Bucket', value: 'cardinal-otel-raw-111111111111-us-east-1' },
      { label: 'Region', value: 'us-east-1' },
      { label: 'Cloud provider', value: 'aws' },
      { label: 'Role', value: 'arn:aws:iam::111111111111:role/cardinal-satellite-access' },
      { label: 'Collector name', value: 'a5e6f7a8b' },
    ]);
    const withStream = LINE_CURRENT.manualSteps!(view(plan((x) => (x.include.cwmetrics = true))));
    expect(withStream[1]).toMatchObject({ id: 'map-cwmetrics-prefix', values: [{ label: 'Prefix', value: `cwmetrics-raw/${ORG}` }, { label: 'Format', value: 'cwmetrics' }, { label: 'Signal', value: 'metrics' }] });
    // nothing to do before Maestro and the satellite exist
    expect(LINE_CURRENT.manualSteps!({ ...view(plan()), stackArns: {} })).toEqual([]);
  });

  it('runs the smallest that works as a proof of concept: query 1, process ceilings 2, a small database', () => {
    const poc = Object.fromEntries(sizeParams(meta.stacks).map((p) => [`${p.stackId}.${p.key}`, sizeValue(p, 'proof-of-concept')]));
    expect(poc).toEqual({
      'infra-rds.DBInstanceClass': 'db.t4g.medium',
      'services.QueryApiReplicas': '1',
      'services.QueryWorkerReplicas': '1',
      'services.ProcessLogsReplicas': '2',
      'services.ProcessMetricsReplicas': '2',
      'services.ProcessTracesReplicas': '2',
    });
  });

  it('passes one organization and one app load balancer scheme to every stack that takes them, and composes images under the registry prefix', () => {
    const p = plan((x) => {
      x.params.services!.AlbScheme = 'internet-facing';
      x.include.cwmetrics = true;
      x.imageRegistry = '123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public';
    });
    const values = Object.fromEntries(planStacks(p, meta.stacks).map((s) => [s.meta.id, s.values]));
    expect(values['infra-base']?.AlbScheme).toBe('internet-facing');
    expect([values['satellite-services']?.OrganizationId, values.cwmetrics?.OrganizationId]).toEqual([ORG, ORG]);
    expect(values.services?.LakerunnerImage).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public/cardinalhq.io/lakerunner:v1.81.0@${CURRENT_RELEASE.images.lakerunner.digest}`);
    expect(values['satellite-services']?.OtelImage).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/aws-public\/cardinalhq\.io\/cardinalhq-otel-collector:v1\.10\.0@sha256:/);
  });

  it('prices every resource, the nested children’s too, with the process tier at its floor and its autoscaling ceiling apart', () => {
    const production = estimate({ stacks: renderPlan(plan()).map(toEstimateStack), region: 'us-east-1', usage: { telemetryGbPerDay: '10', months: '1' }, rules: LINE_CURRENT.priceRules });
    expect(production.unpriced).toEqual([]);
    const services = production.stacks.find((s) => s.id === 'services')!;
    const process = services.lines.filter((l) => l.logicalId === 'Process/ProcessLogsService');
    // floor: one task of 1 vCPU and 4 GiB on ARM64, all month
    expect(process.map((l) => [l.kind, l.quantity])).toEqual([
      ['fixed', 730],
      ['fixed', 4 * 730],
    ]);
    const ceiling = services.lines.filter((l) => l.logicalId === 'Process/ProcessLogsScalableTarget');
    expect(ceiling.map((l) => [l.kind, l.quantity])).toEqual([
      ['ceiling', 9 * 730],
      ['ceiling', 9 * 4 * 730],
    ]);
    expect(production.ceiling).toBeCloseTo(services.lines.filter((l) => l.kind === 'ceiling').reduce((t, l) => t + l.monthly, 0));
    expect(production.monthly).toBeCloseTo(production.fixed + production.usageDriven);
    expect(services.lines.find((l) => l.logicalId === 'ServiceNamespace')).toMatchObject({ kind: 'usage', monthly: 0 });
    const markdown = costsMarkdown('x', production);
    expect(markdown).toContain(`Autoscaled services at their ceilings would add up to ${usd(production.ceiling)} a month`);
    expect(markdown).toMatch(/\| Process\/ProcessLogsScalableTarget \| AWS::ApplicationAutoScaling::ScalableTarget \| At the ceiling of 10 tasks, 9 more than the floor of 1: ARM64 vCPU: .* \(ceiling\) \|/);
    const poc = estimate({ stacks: renderPlan(plan((x) => { for (const p of sizeParams(meta.stacks)) x.params[p.stackId]![p.key] = p.proofOfConcept; })).map(toEstimateStack), region: 'us-east-1', usage: { telemetryGbPerDay: '10', months: '1' }, rules: LINE_CURRENT.priceRules });
    expect(poc.fixed).toBeLessThan(production.fixed / 2);
    expect(poc.ceiling).toBeLessThan(production.ceiling / 5);
  });

  it('finds a deployment’s stacks by the outputs they pass each other, apart from an unrelated install', () => {
    const found = (id: string, name: string, parameters: Record<string, string>, outputs: Record<string, string>): FoundStack => ({ id, name, upstream: false, parameters, outputs });
    const stacks = [
      found('infra-base', 'a-infra-base', {}, { ProcessRoleArn: 'arn:role/a', QuerySecurityGroupId: 'sg-a' }),
      found('infra-rds', 'a-rds', { QuerySecurityGroupId: 'sg-a' }, { DbEndpoint: 'db-a' }),
      found('satellite-infra-base', 'a-sat', { LakerunnerPrincipal: 'arn:role/a' }, { RawQueueUrl: 'q-a' }),
      found('services', 'a-services', { DbEndpoint: 'db-a', QueueUrl: 'q-a' }, {}),
      found('infra-base', 'b-infra-base', {}, { ProcessRoleArn: 'arn:role/b' }),
    ];
    const groups = LINE_CURRENT.discovery.group(stacks);
    expect(groups.map((g) => [g.key, g.members.map((m) => m.name).sort()])).toEqual([
      ['a-infra-base', ['a-infra-base', 'a-rds', 'a-sat', 'a-services']],
      ['b-infra-base', ['b-infra-base']],
    ]);
    expect(LINE_CURRENT.discovery.suggestName('acme-cardinal-lakerunner-infra-base')).toBe('acme-cardinal');
  });
});

describe('the current line’s failure hints', () => {
  const hint = (stack: string, resourceType: string, reason: string) => resourceGuidance(LINE_CURRENT.rootCauseHints, { stackId: stack, resourceType, reason });

  it.each([
    ['satellite-services', 'AWS::ECS::Service', 'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.', /FARGATE capacity provider/],
    ['services', 'AWS::ECS::Service', 'ECS Deployment Circuit Breaker was triggered', /Dex admin password hash/],
    ['infra-base', 'AWS::SecretsManager::Secret', 'Invalid length for parameter SecretString, value: 0, valid min length: 1', /license secret cannot be empty/],
    ['infra-base', 'AWS::SecretsManager::Secret', 'cardinal-license already exists', /force-delete/],
    ['infra-rds', 'AWS::SecretsManager::Secret', 'You can’t create this secret because a secret with this name is already scheduled for deletion.', /cardinal-db-master/],
    ['services', 'AWS::ElasticLoadBalancingV2::Listener', "Certificate ARN '' is not valid", /self-signed one only when it creates the stack/],
  ])('%s %s: %s', (stack, type, reason, guidance) => {
    expect(hint(stack, type, reason)).toMatch(guidance);
  });

  it('says nothing about failures it does not know', () => {
    expect(hint('services', 'AWS::ECS::Service', 'Rate exceeded')).toBeUndefined();
  });
});
