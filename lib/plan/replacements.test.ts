import { describe, expect, it } from 'vitest';
import type { Template } from '@/lib/cfn/template';
import { changesOf, createOnlyProperties, exportChanges, importersOf, importsFrom, withImporters } from './replacements';
import { stackById } from '@/templates';
import { STACKS_2025 } from '@/templates/line-2025';

const change = (stack: string, parameter: string) => exportChanges(STACKS_2025).find((c) => c.stackId === stack && c.parameter === parameter);

describe('export changes found in the templates before anything runs', () => {
  it('knows the create-only properties from the resource schemas (the ones the sandbox replaces by)', () => {
    expect(createOnlyProperties('AWS::ElasticLoadBalancingV2::LoadBalancer')).toEqual(expect.arrayContaining(['Scheme', 'Type', 'Name']));
    expect(createOnlyProperties('AWS::ElasticLoadBalancingV2::LoadBalancer')).not.toContain('Subnets');
    expect(createOnlyProperties('AWS::ElasticLoadBalancingV2::Listener')).toEqual(['LoadBalancerArn']);
    expect(createOnlyProperties('Custom::SetupTask')).toEqual(['ServiceToken']);
  });

  it('finds that the load-balancer scheme replaces the load balancer and its listeners, whose exports services and Grafana import', () => {
    expect(change('common', 'AlbScheme')).toEqual({
      stackId: 'common',
      parameter: 'AlbScheme',
      // The redirect listener exists only with a certificate; with one, it goes too.
      replaced: ['LoadBalancer', 'QueryApiListener', 'GrafanaListener', 'HttpRedirectListener'],
      exports: ['AlbArn', 'AlbDnsName', 'QueryApiUrl', 'GrafanaUrl', 'QueryApiListenerArn', 'GrafanaListenerArn'],
      importers: ['services', 'grafana'],
      recreate: ['services', 'grafana', 'demo'],
    });
  });

  it('finds exports a parameter changes without replacing anything (a certificate turns the URLs to https)', () => {
    expect(change('common', 'AlbCertificateArn')).toMatchObject({ replaced: [], exports: ['QueryApiUrl', 'GrafanaUrl'], importers: ['grafana'] });
    expect(change('otel', 'LoadBalancerType')).toMatchObject({ replaced: ['CollectorLoadBalancer', 'CollectorListener', 'HttpRedirectListener'], importers: ['demo'] });
  });

  it('leaves out changes nothing imports and in-place updates: the database version, images, task counts', () => {
    for (const [stack, parameter] of [['common', 'DbEngineVersion'], ['common', 'ApiKeysOverride'], ['services', 'GoServicesImage'], ['services', 'QueryWorkerCount'], ['migration', 'ContainerImage']])
      expect(change(stack!, parameter!), `${stack}.${parameter}`).toBeUndefined();
  });

  it('follows replacements through references and conditions', () => {
    const template: Template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: 'x',
      Parameters: { Scheme: { Type: 'String' }, Tls: { Type: 'String' } },
      Conditions: { IsPublic: { 'Fn::Equals': [{ Ref: 'Scheme' }, 'internet-facing'] }, HasTls: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Tls' }, ''] }] } },
      Resources: {
        Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: { 'Fn::If': ['IsPublic', 'internet-facing', 'internal'] } } },
        Listener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Protocol: { 'Fn::If': ['HasTls', 'HTTPS', 'HTTP'] } } },
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x' } },
      },
      Outputs: {
        Dns: { Value: { 'Fn::GetAtt': ['Lb', 'DNSName'] }, Export: { Name: 'd' } },
        ListenerArn: { Value: { Ref: 'Listener' }, Export: { Name: 'l' } },
        Url: { Value: { 'Fn::Sub': ['${S}://x', { S: { 'Fn::If': ['HasTls', 'https', 'http'] } }] }, Export: { Name: 'u' } },
        Group: { Value: { Ref: 'Sg' }, Export: { Name: 'g' } },
        NotExported: { Value: { 'Fn::Sub': '${Lb}' } },
      },
    };
    expect(changesOf(template, 'Scheme')).toEqual({ replaced: ['Lb', 'Listener'], outputs: ['Dns', 'ListenerArn'] });
    expect(changesOf(template, 'Tls')).toEqual({ replaced: [], outputs: ['Url'] });
  });

  it('reads which outputs a stack imports from which stack, and who must go before a stack can be deleted', () => {
    expect(importsFrom(stackById('2025', 'grafana'), 'common')).toEqual(expect.arrayContaining(['GrafanaListenerArn', 'QueryApiUrl', 'GrafanaUrl']));
    expect(importsFrom(stackById('2025', 'demo'), 'services')).toEqual(['ExecutionRoleArn']);
    expect(importersOf('services', STACKS_2025)).toEqual(['demo']);
    expect(withImporters(['services', 'grafana'], STACKS_2025)).toEqual(['services', 'grafana', 'demo']);
  });
});
