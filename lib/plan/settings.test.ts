import { describe, expect, it } from 'vitest';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { settingFields } from './settings';

describe('the settings form of a deployment', () => {
  it('offers the consent to plain HTTP beside the scheme and certificate of each load balancer', () => {
    const keys = settingFields(defaultPlan2025()).map((f) => `${f.stackId}.${f.key}`);
    expect(keys).toEqual([
      'common.AlbScheme',
      'common.AlbCertificateArn',
      'common.AlbDomainName',
      'common.AlbAllowPlainHttp',
      'common.DbEngineVersion',
      'otel.LoadBalancerType',
      'otel.CollectorCertificateArn',
      'otel.CollectorDomainName',
      'otel.CollectorAllowPlainHttp',
    ]);
  });

  it("asks for the collector's public subnets only when the plan does not fill them from its own VPC", () => {
    const plan = { ...defaultPlan2025(), network: 'existing' as const };
    plan.params.otel.PublicSubnets = 'subnet-0ccc3333,subnet-0ddd4444';
    expect(settingFields(plan).find((f) => f.key === 'PublicSubnets')).toMatchObject({ stackId: 'otel', current: 'subnet-0ccc3333,subnet-0ddd4444' });
  });
});
