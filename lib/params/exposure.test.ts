import { describe, expect, it } from 'vitest';
import { exposureWarning } from './exposure';

describe('a load balancer facing the internet without a certificate', () => {
  it.each([
    ['common', { AlbScheme: 'internet-facing', AlbCertificateArn: '' }, 'AlbCertificateArn'],
    ['otel', { LoadBalancerType: 'internet-facing' }, 'CollectorCertificateArn'],
  ] as const)('is warned about on %s, at the certificate field', (stackId, values, key) => {
    expect(exposureWarning(stackId, values)).toMatchObject({ key, message: expect.stringContaining('in clear') });
  });

  it.each([
    ['common', { AlbScheme: 'internal', AlbCertificateArn: '' }],
    ['common', { AlbScheme: 'internet-facing', AlbCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }],
    ['otel', { LoadBalancerType: 'internal' }],
    ['services', { AlbScheme: 'internet-facing' }],
  ] as const)('is not warned about otherwise (%s %j)', (stackId, values) => {
    expect(exposureWarning(stackId, values)).toBeUndefined();
  });
});
