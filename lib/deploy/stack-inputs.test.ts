import { describe, expect, it } from 'vitest';
import { planStacks } from '@/lib/params/plan';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';
import { LINE_2025 } from '@/templates/line-2025';
import { renderOnly } from './stack-inputs';

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
