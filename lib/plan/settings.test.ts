import { describe, expect, it } from 'vitest';
import { defaultPlan } from '@/lib/params/plan';
import { STACKS } from '@/templates';
import { toMeta } from '@/templates/stack';
import { settingFields } from './settings';

const METAS = STACKS.map(toMeta);

describe('the settings form of a deployment', () => {
  it('offers the consent to plain HTTP beside the scheme and certificate of each load balancer', () => {
    const keys = settingFields(defaultPlan(METAS)).map((f) => `${f.stackId}.${f.key}`);
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
    const plan = { ...defaultPlan(METAS), network: 'existing' as const };
    plan.params.otel.PublicSubnets = 'subnet-0ccc3333,subnet-0ddd4444';
    expect(settingFields(plan).find((f) => f.key === 'PublicSubnets')).toMatchObject({ stackId: 'otel', current: 'subnet-0ccc3333,subnet-0ddd4444' });
  });
});
