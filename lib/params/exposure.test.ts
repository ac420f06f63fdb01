import { describe, expect, it } from 'vitest';
import { LINE_2025 } from '@/templates/line-2025';
import { exposureWarning, type ExposureRule } from './exposure';

const rules = LINE_2025.exposure;

describe('a load balancer facing the internet without a certificate', () => {
  it.each([
    ['common', { AlbScheme: 'internet-facing', AlbCertificateArn: '' }, 'AlbCertificateArn'],
    ['otel', { LoadBalancerType: 'internet-facing' }, 'CollectorCertificateArn'],
  ] as const)('is warned about on %s, at the certificate field', (stackId, values, key) => {
    expect(exposureWarning(rules, stackId, values)).toMatchObject({ key, message: expect.stringContaining('in clear') });
  });

  it.each([
    ['common', { AlbScheme: 'internal', AlbCertificateArn: '' }],
    ['common', { AlbScheme: 'internet-facing', AlbCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }],
    ['otel', { LoadBalancerType: 'internal' }],
    ['services', { AlbScheme: 'internet-facing' }],
  ] as const)('is not warned about otherwise (%s %j)', (stackId, values) => {
    expect(exposureWarning(rules, stackId, values)).toBeUndefined();
  });
});

describe('exposure rules', () => {
  it('are the line’s: a stack no rule names is never warned about', () => {
    const rule: ExposureRule = { stack: 'edge', scheme: 'Scheme', certificate: 'Cert', message: 'in clear' };
    expect(exposureWarning([rule], 'edge', { Scheme: 'internet-facing', Cert: ' ' })).toEqual({ key: 'Cert', message: 'in clear' });
    expect(exposureWarning([rule], 'common', { AlbScheme: 'internet-facing' })).toBeUndefined();
    expect(exposureWarning([], 'edge', { Scheme: 'internet-facing' })).toBeUndefined();
  });
});
