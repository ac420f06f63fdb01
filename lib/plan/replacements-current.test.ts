import { describe, expect, it } from 'vitest';
import { statefulReplacements } from '@/lib/cfn/stateful';
import { FILES, templateOf } from '@/templates/current/testing/rendered';
import { changesOf, createOnlyProperties, hasSchema } from './replacements';

describe('replacement detection on the current line', () => {
  it('knows the create-only properties of every resource type the current line uses, its nested stacks included', () => {
    const types = [...new Set(FILES.flatMap((f) => Object.values(f.template.Resources).map((r) => r.Type)))].sort();
    expect(types.filter((type) => !type.startsWith('Custom::') && !hasSchema(type))).toEqual([]);
    // the types new with the current line
    expect(createOnlyProperties('AWS::ServiceDiscovery::PrivateDnsNamespace')).toEqual(expect.arrayContaining(['Name', 'Vpc']));
    expect(createOnlyProperties('AWS::ServiceDiscovery::Service')).toEqual(expect.arrayContaining(['Name', 'NamespaceId']));
    expect(createOnlyProperties('AWS::ApplicationAutoScaling::ScalableTarget')).toEqual(expect.arrayContaining(['ResourceId', 'ScalableDimension', 'ServiceNamespace']));
    expect(createOnlyProperties('AWS::IAM::ServerCertificate')).toEqual(expect.arrayContaining(['CertificateBody', 'PrivateKey', 'ServerCertificateName']));
    expect(createOnlyProperties('AWS::KinesisFirehose::DeliveryStream')).toContain('DeliveryStreamName');
    expect(createOnlyProperties('AWS::CloudWatch::MetricStream')).toEqual(['Name']);
    expect(createOnlyProperties('AWS::SecretsManager::Secret')).toEqual(['Name']);
  });

  it.each([
    ['infra-base', 'CookedBucketName', 'CookedBucket', 'AWS::S3::Bucket'],
    ['infra-base', 'LicenseSecretName', 'LicenseSecret', 'AWS::SecretsManager::Secret'],
    ['satellite-infra-base', 'RawBucketName', 'RawIngestBucket', 'AWS::S3::Bucket'],
    ['satellite-infra-base', 'NameSuffix', 'RawIngestBucket', 'AWS::S3::Bucket'],
  ] as const)('finds that %s.%s replaces %s, which holds data', (stack, parameter, logicalId, resourceType) => {
    const { replaced } = changesOf(templateOf(stack), parameter);
    expect(replaced).toContain(logicalId);
    const risky = statefulReplacements(stack, replaced.map((id) => ({ logicalId: id, resourceType: templateOf(stack).Resources[id]!.Type, replacement: 'True' as const })));
    expect(risky.map((r) => [r.logicalId, r.resourceType])).toContainEqual([logicalId, resourceType]);
  });

  it('replaces nothing that holds data when the database class or the engine version changes', () => {
    for (const parameter of ['DBInstanceClass', 'DBEngineVersion']) {
      const template = templateOf('infra-rds');
      const { replaced } = changesOf(template, parameter);
      expect(statefulReplacements('infra-rds', replaced.map((id) => ({ logicalId: id, resourceType: template.Resources[id]!.Type, replacement: 'True' as const })))).toEqual([]);
    }
  });
});

describe('stateful replacements', () => {
  it('picks out replaced and maybe-replaced resources that hold data, and nothing else', () => {
    const found = statefulReplacements('s', [
      { logicalId: 'Db', resourceType: 'AWS::RDS::DBInstance', replacement: 'True' },
      { logicalId: 'Raw', resourceType: 'AWS::S3::Bucket', replacement: 'Conditional' },
      { logicalId: 'Kept', resourceType: 'AWS::S3::Bucket', replacement: 'False' },
      { logicalId: 'Lb', resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer', replacement: 'True' },
    ]);
    expect(found.map((r) => r.logicalId)).toEqual(['Db', 'Raw']);
    expect(found[0]!.loss).toMatch(/^a new, empty database instance/);
    expect(found[1]!.loss).toMatch(/^may be replaced: a new, empty bucket/);
  });
});
