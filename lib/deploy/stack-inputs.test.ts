import { describe, expect, it } from 'vitest';
import { planStacks } from '@/lib/params/plan';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';
import { currentPlan, LINE_CURRENT_META } from '@/lib/plan/testing/line-current';
import { CURRENT_TEST_LINE } from '@/templates/current/testing/line';
import { LINE_2025 } from '@/templates/line-2025';
import { renderChildrenOnly, renderOnly, wiredInputs } from './stack-inputs';

const scoped = (stacks: ReturnType<typeof planStacks>, id: string) => ({ stack: stacks.find((s) => s.meta.id === id)! });
const ids = (changes: { logicalId: string }[]) => changes.map((c) => c.logicalId);

describe('a preview from the templates (before the change sets can be made)', () => {
  it("lists the resources the template creates with the plan's values, leaving out those its conditions rule out", () => {
    const plan = defaultPlan2025();
    const internal = renderOnly(LINE_2025, scoped(planStacks(plan, METAS_2025), 'common'), plan.region);
    expect(ids(internal)).not.toContain('HttpRedirectListener');
    expect(ids(internal)).toContain('Database');
    plan.params.common.AlbCertificateArn = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    expect(ids(renderOnly(LINE_2025, scoped(planStacks(plan, METAS_2025), 'common'), plan.region))).toContain('HttpRedirectListener');
  });

  it("lists each nested stack the root creates, with the resources its template creates given what the root passes it", () => {
    const plan = currentPlan('pv');
    const services = () => scoped(planStacks(plan, LINE_CURRENT_META.stacks), 'services');
    const children = renderChildrenOnly(CURRENT_TEST_LINE, services(), plan.region);
    expect(children.map((c) => [c.path, c.title])).toEqual(CURRENT_TEST_LINE.stacks.find((s) => s.id === 'services')!.children!.map((c) => [c.logicalId, c.title]));
    // the plan gives a certificate ARN: the certificate child builds no IAM certificate
    expect(children.find((c) => c.path === 'Cert')!.changes).toEqual([]);
    expect(ids(children.find((c) => c.path === 'Alb')!.changes)).toContain('Alb');
    // without Maestro, its nested stack is not created at all
    plan.params.services!.DeployMaestro = 'No';
    expect(renderChildrenOnly(CURRENT_TEST_LINE, services(), plan.region).map((c) => c.path)).not.toContain('Maestro');
    expect(ids(renderOnly(CURRENT_TEST_LINE, services(), plan.region))).not.toContain('Maestro');
  });

  it("decides conditions on the run's secret values too: a certificate generated for the run creates the certificate child's IAM certificate", () => {
    // Given a plan without a certificate: the console generates one at deploy, into the run's secrets only
    const plan = currentPlan('pv');
    plan.params.services!.CertificateArn = '';
    const services = () => scoped(planStacks(plan, LINE_CURRENT_META.stacks), 'services');
    const cert = (secrets?: Record<string, string>) => ids(renderChildrenOnly(CURRENT_TEST_LINE, services(), plan.region, secrets).find((c) => c.path === 'Cert')!.changes);
    // Then without the secrets the preview expects no certificate, with them the one CloudFormation will create
    expect(cert()).toEqual([]);
    expect(cert({ CertificateBody: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', CertificatePrivateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' })).toEqual(['ServerCertificate']);
    // and a body without its key still builds nothing, as the child's condition says
    expect(cert({ CertificateBody: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' })).toEqual([]);
  });

  it("decides a stack's own conditions on the run's secret values", () => {
    const plan = defaultPlan2025();
    const common = () => scoped(planStacks(plan, METAS_2025), 'common');
    const secretKeys = LINE_2025.stacks.find((s) => s.id === 'common')!.parameters.filter((p) => p.noEcho).map((p) => p.key);
    expect(secretKeys.length).toBeGreaterThan(0);
    // the same resources whatever secret is given where no condition reads it
    expect(ids(renderOnly(LINE_2025, common(), plan.region, Object.fromEntries(secretKeys.map((k) => [k, 'x']))))).toEqual(ids(renderOnly(LINE_2025, common(), plan.region)));
  });

  it("says which parameters come from which stack's output, with the values known so far", () => {
    const plan = currentPlan('pv');
    const services = planStacks(plan, LINE_CURRENT_META.stacks).find((s) => s.meta.id === 'services')!;
    const wired = wiredInputs(services, plan, { vpc: { VpcId: 'vpc-0abc', PrivateSubnetsCsv: 'subnet-1,subnet-2' } });
    expect(wired.find((w) => w.parameter === 'VpcId')).toEqual({ parameter: 'VpcId', stackId: 'vpc', stackName: 'pv-vpc', output: 'VpcId', value: 'vpc-0abc' });
    expect(wired.find((w) => w.parameter === 'DbEndpoint')).toEqual({ parameter: 'DbEndpoint', stackId: 'infra-rds', stackName: 'pv-infra-rds', output: 'DbEndpoint' });
    expect(wired.map((w) => w.parameter).sort()).toEqual(Object.keys(services.pending).sort());
  });
});

describe('the preview of a stack CloudFormation cannot evaluate yet', () => {
  const scoped = (id: string, plan = defaultPlan2025()) => ({ stack: planStacks(plan, METAS_2025).find((s) => s.meta.id === id)! });

  it("lists only the resources the plan's values create: no redirect listener without a certificate", () => {
    const plain = renderOnly(LINE_2025, scoped('otel'), 'us-east-1').map((c) => c.logicalId);
    expect(plain).not.toContain('HttpRedirectListener');
    expect(plain).toContain('CollectorLoadBalancer');

    const plan = defaultPlan2025();
    plan.params.otel.CollectorCertificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    plan.params.otel.CollectorDomainName = 'otlp.example.com';
    expect(renderOnly(LINE_2025, scoped('otel', plan), 'us-east-1').map((c) => c.logicalId)).toContain('HttpRedirectListener');
  });

  it('counts a resource whose condition hangs on values the plan does not know yet', () => {
    // the new VPC's NAT gateway is decided by the plan (on by default): listed
    expect(renderOnly(LINE_2025, scoped('vpc'), 'us-east-1').map((c) => c.logicalId)).toContain('NatGateway');
  });
});
