import { describe, expect, it } from 'vitest';
import { type Plan } from '@/lib/params/plan';
import { renderPlan } from '@/lib/plan';
import { estimatePlan, toEstimateStack } from '@/lib/plan/estimate';
import { estimate, type Estimate } from './estimate';
import { RULES } from './rules';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';

const cents = (n: number) => Math.round(n * 100) / 100;
const lineOf = (e: Estimate, logicalId: string, counted: RegExp) =>
  e.stacks.flatMap((s) => s.lines).find((l) => l.logicalId === logicalId && counted.test(l.counted)) ?? expect.fail(`no line ${logicalId} ${counted}`);

/** Every plan the form can make, as far as what it creates goes. */
function planShapes(): { name: string; plan: Plan }[] {
  const shapes: { name: string; plan: Plan }[] = [];
  for (const network of ['new', 'existing'] as const)
    for (const grafana of [true, false])
      for (const otel of [true, false])
        for (const demo of otel ? [true, false] : [false])
          for (const nat of network === 'new' ? ['Yes', 'No'] : ['Yes'])
            for (const scheme of ['internal', 'internet-facing'])
              for (const size of ['production', 'proof-of-concept']) {
                const plan = defaultPlan2025();
                Object.assign(plan, { network, include: { grafana, otel, demo } });
                plan.params.vpc.CreateNatGateway = nat;
                plan.params.common.AlbScheme = scheme;
                plan.params.otel.LoadBalancerType = scheme;
                if (network === 'existing')
                  Object.assign(plan.params.common, { VpcId: 'vpc-0abc1234', PrivateSubnets: 'subnet-0aaa1111,subnet-0bbb2222,subnet-0ccc3333', PublicSubnets: 'subnet-0ddd4444,subnet-0eee5555' });
                if (size === 'proof-of-concept')
                  for (const meta of METAS_2025) for (const spec of meta.parameters) if (spec.proofOfConcept) plan.params[meta.id]![spec.key] = spec.proofOfConcept;
                shapes.push({ name: `${network} VPC, grafana ${grafana}, otel ${otel}, demo ${demo}, NAT ${nat}, ${scheme}, ${size}`, plan });
              }
  return shapes;
}

describe('the estimate', () => {
  const shapes = planShapes();

  it('has a pricing rule or a stated $0 reason for every resource of every template in every plan shape', () => {
    expect(shapes.length).toBe(72);
    for (const { name, plan } of shapes) {
      const rendered = renderPlan(plan);
      for (const stack of rendered)
        for (const [logicalId, resource] of Object.entries(stack.template.Resources))
          expect(RULES[resource.Type], `${name}: ${stack.stackName} ${logicalId} (${resource.Type}) has no pricing rule`).toBeDefined();
      const e = estimate({ stacks: rendered.map(toEstimateStack), region: plan.region, usage: plan.usage! });
      expect(e.unpriced, name).toEqual([]);
      for (const line of e.stacks.flatMap((s) => s.lines)) {
        if (line.kind === 'free') expect(line.note, `${name}: ${line.logicalId}`).toMatch(/\w+.*\./);
        else expect(cents(line.monthly), `${name}: ${line.logicalId} ${line.counted}`).toBe(cents(line.quantity * line.unitPrice));
      }
    }
  });

  it('says which resource it cannot price and leaves it out of the total', () => {
    const [vpc] = renderPlan(defaultPlan2025()).map(toEstimateStack);
    const template = { ...vpc!.template, Resources: { ...vpc!.template.Resources, Broker: { Type: 'AWS::MSK::Cluster', Properties: {} } } };
    const before = estimate({ stacks: [vpc!], region: 'us-east-1', usage: { telemetryGbPerDay: '10', months: '12' } });
    const after = estimate({ stacks: [{ ...vpc!, template }], region: 'us-east-1', usage: { telemetryGbPerDay: '10', months: '12' } });
    expect(after.unpriced).toEqual(['lakerunner-vpc: Broker (AWS::MSK::Cluster): No pricing rule for AWS::MSK::Cluster.']);
    expect(after.monthly).toBe(before.monthly);
  });

  it('prices a resource type the generic rules do not know with the release line’s own rules', () => {
    const [vpc] = renderPlan(defaultPlan2025()).map(toEstimateStack);
    const template = { ...vpc!.template, Resources: { ...vpc!.template.Resources, Broker: { Type: 'AWS::MSK::Cluster', Properties: {} } } };
    const usage = { telemetryGbPerDay: '10', months: '12' };
    const before = estimate({ stacks: [vpc!], region: 'us-east-1', usage });
    const priced = estimate({
      stacks: [{ ...vpc!, template }],
      region: 'us-east-1',
      usage,
      rules: { 'AWS::MSK::Cluster': { charges: () => [{ price: 'nat.hour', quantity: 730, counted: 'broker hours', kind: 'fixed' }] } },
    });
    expect(priced.unpriced).toEqual([]);
    const broker = priced.stacks[0]!.lines.find((l) => l.logicalId === 'Broker')!;
    expect(broker).toMatchObject({ counted: 'broker hours', quantity: 730, kind: 'fixed' });
    expect(priced.monthly).toBeCloseTo(before.monthly + broker.monthly, 6);
    expect(broker.monthly).toBeGreaterThan(0);
  });

  it('prices the default plan in us-east-1 as computed by hand from the reference prices', () => {
    // The reference's us-east-1 figures (shared/reference/aws-pricing.md), typed here on purpose.
    const H = 730;
    const DAYS = 730 / 24;
    const T = 10; // GB of telemetry a day (the default)
    const M = 12; // months of growth (the default)
    const armVcpu = 0.03238;
    const armGb = 0.00356;
    const fargate = (vcpu: number, gb: number, tasks: number) => tasks * H * vcpu * armVcpu + tasks * H * gb * armGb;
    const logs = (tasks: number) => tasks * 1 * 0.5 + tasks * 1 * (14 / DAYS) * 0.03; // 1 GB a task, kept 14 days
    const rawObjects = T * DAYS * 1024; // 1 MB objects
    const runningTasks = 1 + 2 + 1 + 4 + 1 + 1 + 1 + 1 + 8 + 1 + 1; // nine services, Grafana, the collector

    const vpc =
      H * 0.005 + // the NAT gateway's Elastic IP
      H * 0.045 + // NAT gateway hours
      runningTasks * 1 * 0.045 + // NAT data processed, 1 GB per task
      5 * 2 * H * 0.01 + // five interface endpoints in two AZs
      runningTasks * 1 * 0.01; // the logs endpoint carries the logs
    const common =
      ((rawObjects * 3 + (730 * 3600) / 20) / 1e6) * 0.4 + // SQS: three requests per notification plus long polls
      (T * 10 + T * DAYS * M * 0.2) * 0.023 + // S3: 10 days of raw objects plus 20% indexed, kept
      ((rawObjects * 3) / 1000) * 0.005 + // S3 PUTs
      ((rawObjects * 10) / 1000) * 0.0004 + // S3 GETs
      5 * 0.3 + // EFS: 5 GB
      T * DAYS * 0.06 + // EFS elastic writes
      T * DAYS * 0.03 + // EFS elastic reads
      3 * 0.4 + // three secrets
      H * 0.065 + // db.t4g.medium
      100 * 0.115 + // 100 GB gp3
      100 * 0.05 * 7 * 0.095 + // backups beyond the free 100 GB
      H * 0.0225 + // the load balancer
      0.1 * H * 0.008; // its LCUs
    const migration =
      (1 / 1e6) * 0.2 + // one Lambda invocation
      5 * 60 * 0.125 * 0.0000133334 + // waiting 5 minutes at 128 MB on ARM
      (5 / 60) * (0.5 * armVcpu + 1 * armGb); // the setup task, 0.5 vCPU / 1 GB for 5 minutes
    const services =
      fargate(1, 2, 1) + logs(1) + // pubsub-sqs
      fargate(1, 2, 2) + logs(2) + // ingest-logs
      fargate(1, 2, 1) + logs(1) + // ingest-metrics
      fargate(1, 2, 4) + logs(4) + // compact-logs
      fargate(1, 2, 1) + logs(1) + // compact-metrics
      fargate(1, 2, 1) + logs(1) + // rollup-metrics
      fargate(0.25, 0.5, 1) + logs(1) + // sweeper
      fargate(2, 8, 1) + logs(1) + // query-api
      fargate(2, 8, 8) + logs(8) + // query-worker
      0.4; // the token secret
    const grafana = fargate(0.5, 1, 1) + logs(1) + 0.4;
    const otel = H * 0.0225 + (0.1 + T / 24) * H * 0.008 + fargate(1, 2, 1) + logs(1);

    const e = estimatePlan(defaultPlan2025());
    expect(e.region).toBe('us-east-1');
    expect(e.stacks.map((s) => [s.name, cents(s.monthly)])).toEqual([
      ['lakerunner-vpc', cents(vpc)],
      ['lakerunner-common', cents(common)],
      ['lakerunner-migration', cents(migration)],
      ['lakerunner-services', cents(services)],
      ['lakerunner-grafana-service', cents(grafana)],
      ['lakerunner-otel-collector', cents(otel)],
    ]);
    expect(cents(e.monthly)).toBe(cents(vpc + common + migration + services + grafana + otel));
    expect(cents(e.monthly)).toBe(1228.45);
    expect(cents(e.fixed + e.usageDriven)).toBe(cents(e.monthly));
  });

  it('drops the NAT gateway’s hours, its address and its data processing when no NAT gateway is created', () => {
    const plan = defaultPlan2025();
    const withNat = estimatePlan(plan);
    plan.params.vpc.CreateNatGateway = 'No';
    const without = estimatePlan(plan);
    const nat = ['NatGateway', 'NatEIP'].flatMap((id) => withNat.stacks.flatMap((s) => s.lines).filter((l) => l.logicalId === id));
    expect(nat.map((l) => l.counted)).toEqual(['NAT gateway: 730 h', 'Data processed: 22 running tasks × 1 GB', 'Public IPv4 address: 730 h']);
    expect(cents(withNat.monthly - without.monthly)).toBe(cents(730 * 0.045 + 730 * 0.005 + 22 * 0.045));
    expect(without.stacks.flatMap((s) => s.lines).some((l) => l.logicalId === 'NatGateway')).toBe(false);
  });

  it('follows the templates: fewer query workers, a bigger database, an internet-facing load balancer', () => {
    const plan = defaultPlan2025();
    const base = estimatePlan(plan);
    plan.params.services.QueryWorkerCount = '2';
    // six tasks fewer: their vCPU and memory, their logs, and their share of NAT and logs-endpoint data
    expect(cents(base.monthly - estimatePlan(plan).monthly)).toBe(cents(6 * 730 * (2 * 0.03238 + 8 * 0.00356) + 6 * (0.5 + (14 / (730 / 24)) * 0.03) + 6 * (0.045 + 0.01)));

    const [common] = renderPlan(defaultPlan2025()).filter((s) => s.meta.id === 'common').map(toEstimateStack);
    const resources = structuredClone(common!.template.Resources);
    resources.Database!.Properties!.DBInstanceClass = 'db.r7g.large';
    const usage = { telemetryGbPerDay: '10', months: '12' };
    const changed = estimate({ stacks: [{ ...common!, template: { ...common!.template, Resources: resources } }], region: 'us-east-1', usage });
    expect(cents(changed.monthly - estimate({ stacks: [common!], region: 'us-east-1', usage }).monthly)).toBe(cents(730 * (0.239 - 0.065)));

    plan.params.common.AlbScheme = 'internet-facing';
    expect(lineOf(estimatePlan(plan), 'LoadBalancer', /Public IPv4/).counted).toBe('Public IPv4 addresses: 2 AZs (assumed) × 730 h');
  });

  it('costs less at the proof-of-concept size, and the line items show where', () => {
    const plan = defaultPlan2025();
    const production = estimatePlan(plan);
    for (const meta of METAS_2025) for (const spec of meta.parameters) if (spec.proofOfConcept) plan.params[meta.id]![spec.key] = spec.proofOfConcept;
    const poc = estimatePlan(plan);
    expect(poc.monthly).toBeLessThan(production.monthly);
    expect(lineOf(poc, 'QueryWorkerService', /vCPU/).counted).toBe('ARM64 vCPU: 1 task × 730 h × 2 vCPU');
    expect(lineOf(production, 'QueryWorkerService', /vCPU/).counted).toBe('ARM64 vCPU: 8 tasks × 730 h × 2 vCPU');
  });

  it('prices by region, marking figures the reference does not confirm as approximate', () => {
    const plan = defaultPlan2025();
    const virginia = estimatePlan(plan);
    expect(virginia.approximate).toBe(false);
    plan.region = 'ap-southeast-2';
    const sydney = estimatePlan(plan);
    expect(sydney.monthly).toBeGreaterThan(virginia.monthly);
    expect(lineOf(sydney, 'Database', /db\.t4g\.medium/).unitPrice).toBe(0.102);
    expect(lineOf(sydney, 'Database', /db\.t4g\.medium/).price?.approximate).toBe(false);
    expect(lineOf(sydney, 'NatGateway', /NAT gateway/).price?.approximate).toBe(true);
    plan.region = 'us-east-2';
    const ohio = estimatePlan(plan);
    expect(ohio.approximate).toBe(true);
    expect(lineOf(ohio, 'NatGateway', /NAT gateway/).price).toMatchObject({ from: 'us-east-1', approximate: true });
  });

  it('grows the bucket with the months projected and the telemetry per day', () => {
    const plan = defaultPlan2025();
    const storage = (usage: Plan['usage']) => lineOf(estimatePlan({ ...plan, usage }), 'IngestBucket', /storage/);
    expect(storage({ telemetryGbPerDay: '10', months: '24' }).quantity).toBeCloseTo(10 * 10 + 10 * (730 / 24) * 24 * 0.2);
    expect(storage({ telemetryGbPerDay: '0', months: '12' }).monthly).toBe(0);
  });
});
