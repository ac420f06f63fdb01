import { describe, expect, it } from 'vitest';
import { planStacks } from './plan';
import { createPlanSchema } from './plan-schema';
import { toFieldErrors } from './schema';
import { defaultPlan2025, LINE_2025_META, METAS_2025, type Plan2025 } from '@/lib/plan/testing/line-2025';

const metas = METAS_2025;
const schema = createPlanSchema(LINE_2025_META);

async function errorsOf(plan: unknown) {
  const result = await schema.safeParseAsync(plan);
  return result.success ? {} : toFieldErrors(result.error);
}

function existingVpcPlan(): Plan2025 {
  const plan = defaultPlan2025();
  plan.network = 'existing';
  plan.params.common.VpcId = 'vpc-0abc1234';
  plan.params.common.PrivateSubnets = 'subnet-0aaa1111,subnet-0bbb2222';
  return plan;
}

describe('the deployment plan', () => {
  it('is valid with the defaults (new VPC, Grafana and collector)', async () => {
    expect(await errorsOf(defaultPlan2025())).toEqual({});
  });

  it('asks for the VPC and two private subnets when using an existing VPC', async () => {
    const plan = defaultPlan2025();
    plan.network = 'existing';
    const errors = await errorsOf(plan);
    expect(errors['params.common.VpcId']).toMatch(/required/);
    expect(errors['params.common.PrivateSubnets']).toMatch(/required/);
    plan.params.common.PrivateSubnets = 'subnet-0aaa1111';
    expect((await errorsOf(plan))['params.common.PrivateSubnets']).toMatch(/at least 2/);
  });

  it('needs public subnets for an internet-facing load balancer on an existing VPC', async () => {
    const plan = existingVpcPlan();
    plan.params.common.AlbScheme = 'internet-facing';
    plan.params.common.AlbAllowPlainHttp = 'Yes';
    expect(Object.keys(await errorsOf(plan))).toEqual(['params.common.PublicSubnets']);
    plan.params.common.PublicSubnets = 'subnet-0ccc3333,subnet-0ddd4444';
    expect(await errorsOf(plan)).toEqual({});
  });

  it('refuses an internet-facing load balancer without a certificate until plain HTTP is allowed explicitly', async () => {
    const plan = defaultPlan2025();
    plan.params.common.AlbScheme = 'internet-facing';
    expect(Object.keys(await errorsOf(plan))).toEqual(['params.common.AlbCertificateArn']);
    plan.params.common.AlbAllowPlainHttp = 'Yes';
    expect(await errorsOf(plan)).toEqual({});
  });

  it("asks for an internet-facing collector's own public subnets on an existing VPC, and takes the new VPC's otherwise", async () => {
    const plan = existingVpcPlan();
    plan.include.otel = true;
    plan.params.otel.LoadBalancerType = 'internet-facing';
    plan.params.otel.CollectorAllowPlainHttp = 'Yes';
    expect(await errorsOf(plan)).toEqual({ 'params.otel.PublicSubnets': 'An internet-facing collector needs public subnets: list at least two, or keep the collector internal.' });
    plan.params.otel.PublicSubnets = 'subnet-0ccc3333,subnet-0ddd4444';
    expect(await errorsOf(plan)).toEqual({});
    const fresh = defaultPlan2025();
    fresh.params.otel.LoadBalancerType = 'internet-facing';
    fresh.params.otel.CollectorAllowPlainHttp = 'Yes';
    expect(await errorsOf(fresh)).toEqual({});
  });

  it('does not ask for VPC values the new VPC stack provides', async () => {
    const plan = defaultPlan2025();
    plan.params.common.AlbScheme = 'internet-facing';
    plan.params.common.AlbAllowPlainHttp = 'Yes';
    plan.params.common.VpcId = '';
    expect(await errorsOf(plan)).toEqual({});
  });

  it.each([
    [{ telemetryGbPerDay: '2.5', months: '24' }, {}],
    [{ telemetryGbPerDay: '0', months: '1' }, {}],
    [{ telemetryGbPerDay: '-1', months: '12' }, { 'usage.telemetryGbPerDay': 'Telemetry per day must be a number of GB from 0 to 100,000, such as 10 or 2.5.' }],
    [{ telemetryGbPerDay: '10', months: '0' }, { 'usage.months': 'Months of growth must be a whole number from 1 to 60.' }],
    [{ telemetryGbPerDay: '10', months: '1.5' }, { 'usage.months': 'Months of growth must be a whole number from 1 to 60.' }],
    [{ telemetryGbPerDay: 10, months: '12' }, { 'usage.telemetryGbPerDay': 'Telemetry per day must be a number of GB from 0 to 100,000, such as 10 or 2.5.' }],
  ])('checks the usage assumptions %j', async (usage, errors) => {
    expect(await errorsOf({ ...defaultPlan2025(), usage })).toEqual(errors);
  });

  it('gives a plan saved before usage assumptions existed the default ones', async () => {
    const { usage: _usage, ...older } = defaultPlan2025();
    void _usage;
    const parsed = await schema.parseAsync(older);
    expect(parsed.usage).toEqual({ telemetryGbPerDay: '10', months: '12' });
  });

  it('refuses demo apps without the OTEL collector', async () => {
    const plan = defaultPlan2025();
    plan.include = { grafana: false, otel: false, demo: true };
    expect(await errorsOf(plan)).toEqual({
      'include.demo': 'The demo apps send their telemetry to the OTEL collector: include the collector too, or leave the demo apps out.',
    });
  });

  it('ignores the parameters of stacks that are left out', async () => {
    const plan = defaultPlan2025();
    plan.include.grafana = false;
    plan.params.grafana.GrafanaImage = 'NOT AN IMAGE';
    expect(await errorsOf(plan)).toEqual({});
    plan.include.grafana = true;
    expect(Object.keys(await errorsOf(plan))).toEqual(['params.grafana.GrafanaImage']);
  });

  it('rejects invalid and duplicate stack names', async () => {
    const plan = defaultPlan2025();
    plan.stackNames.services = '1-bad';
    plan.stackNames.migration = plan.stackNames.common;
    const errors = await errorsOf(plan);
    expect(errors['stackNames.services']).toMatch(/must start with a letter/);
    expect(errors['stackNames.migration']).toBe('Stack name lakerunner-common is already used by the common stack.');
  });

  it('names unknown fields and refuses wrong types without crashing', async () => {
    const plan = defaultPlan2025() as unknown as Record<string, unknown>;
    (plan.params as Record<string, Record<string, unknown>>).common!.Typo = 'x';
    (plan.params as Record<string, Record<string, unknown>>).vpc!.VpcCidr = 42;
    plan.region = 'mars-1';
    const errors = await errorsOf(plan);
    expect(errors['params.common.Typo']).toBe('Unknown field "Typo".');
    expect(errors['params.vpc.VpcCidr']).toBe('VPC CIDR block must be text.');
    expect(errors.region).toBe('Choose a region from the list.');
    expect(await errorsOf(JSON.parse('{"__proto__": {"polluted": true}}'))).not.toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checks the template base URL', async () => {
    const plan = defaultPlan2025();
    plan.templateBaseUrl = 'http://example.com/templates/';
    expect((await errorsOf(plan)).templateBaseUrl).toMatch(/https S3 URL/);
    plan.templateBaseUrl = 'https://my-bucket.s3.us-east-1.amazonaws.com/lakerunner/';
    expect(await errorsOf(plan)).toEqual({});
  });

  it.each([
    ['http://mirror.example.com/lakerunner/', /must be an https S3 URL/],
    ['https://mirror.example.com/lakerunner/', /must be an https S3 URL/],
    ['https://my-mirror.s3.us-east-1.amazonaws.com/lakerunner', /must end with a slash/],
    [`https://my-mirror.s3.us-east-1.amazonaws.com/${'a/'.repeat(520)}`, /too long/],
  ])('refuses %s as the nested templates mirror on its field', async (url, message) => {
    const plan = { ...defaultPlan2025(), childTemplatesUrl: url };
    expect(await errorsOf(plan)).toEqual({ childTemplatesUrl: expect.stringMatching(message) });
  });

  it('takes an S3 folder, or nothing, as the nested templates mirror', async () => {
    for (const url of ['', 'https://my-mirror.s3.us-east-1.amazonaws.com/lakerunner/v1.7.5/', 'https://s3.eu-west-1.amazonaws.com/my-mirror/']) {
      expect(await errorsOf({ ...defaultPlan2025(), childTemplatesUrl: url })).toEqual({});
    }
    expect(await errorsOf(defaultPlan2025())).toEqual({});
  });
});

describe('planStacks', () => {
  it('orders the included stacks and fills stack-name inputs and pending VPC outputs', () => {
    const plan = defaultPlan2025();
    plan.include = { grafana: true, otel: true, demo: true };
    plan.stackNames.common = 'prod-common';
    const stacks = planStacks(plan, metas);
    expect(stacks.map((s) => s.meta.id)).toEqual(['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo']);
    const byId = Object.fromEntries(stacks.map((s) => [s.meta.id, s]));
    expect(byId.common?.pending).toEqual({
      VpcId: { stack: 'vpc', output: 'VpcId' },
      PrivateSubnets: { stack: 'vpc', output: 'PrivateSubnets' },
      PublicSubnets: { stack: 'vpc', output: 'PublicSubnets' },
    });
    for (const id of ['migration', 'services', 'grafana', 'otel', 'demo']) expect(byId[id]?.values.CommonInfraStackName).toBe('prod-common');
    expect(byId.demo?.values.OtelCollectorStackName).toBe('lakerunner-otel-collector');
    expect(byId.demo?.values.ServicesStackName).toBe('lakerunner-services');
  });

  it('takes the VPC values from the user on an existing VPC and skips the VPC stack', () => {
    const stacks = planStacks(existingVpcPlan(), metas);
    expect(stacks[0]?.meta.id).toBe('common');
    expect(stacks[0]?.pending).toEqual({});
    expect(stacks[0]?.values.VpcId).toBe('vpc-0abc1234');
  });
});
