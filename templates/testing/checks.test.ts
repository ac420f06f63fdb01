import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource, Template } from '@/lib/cfn/template';
import { fixedNames, identityStatements, ingressRules, listenerPortsBySecurityGroup } from './policies';
import { checkReferences, exportsOf, importsOf } from './references';
import { SchemaChecker } from './schema';

let checker: SchemaChecker;
beforeAll(async () => {
  checker = new SchemaChecker(await loadAwsServiceSpec());
});

const template = (resources: Record<string, Resource>, extra: Partial<Template> = {}): Template => ({
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'test',
  Parameters: { Name: { Type: 'String' } },
  Resources: resources,
  ...extra,
});

const queue: Resource = { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 5 } };

describe('SchemaChecker', () => {
  it.each([
    ['an unknown type', { Type: 'AWS::SQS::Queueue' }, 'Resources.X', 'unknown resource type AWS::SQS::Queueue'],
    ['an unknown property', { Type: 'AWS::SQS::Queue', Properties: { Delay: 5 } }, 'Resources.X.Properties.Delay', 'unknown property'],
    ['a list where an integer goes', { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: [5] } }, 'Resources.X.Properties.DelaySeconds', 'expected an integer, got [5]'],
    ['a missing top-level required property', { Type: 'AWS::EC2::SecurityGroup', Properties: {} }, 'Resources.X.Properties.GroupDescription', 'required property is missing'],
    [
      'a missing nested required property',
      { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app' }] } },
      'Resources.X.Properties.ContainerDefinitions[0].Image',
      'required property is missing',
    ],
    [
      'a value outside the allowed values',
      { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE_SPOT' } },
      'Resources.X.Properties.LaunchType',
      'expected one of EC2, FARGATE, EXTERNAL, got "FARGATE_SPOT"',
    ],
    [
      'a wrong type inside an Fn::If branch',
      { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: { 'Fn::If': ['C', 5, { Bad: 1 }] } } },
      'Resources.X.Properties.DelaySeconds.Fn::If[2]',
      'expected an integer, got {"Bad":1}',
    ],
    ['a custom resource without ServiceToken', { Type: 'Custom::Thing', Properties: {} }, 'Resources.X', 'custom resource without ServiceToken'],
  ])('reports %s with its path', (_name, resource, path, message) => {
    expect(checker.check(template({ X: resource as Resource }))).toContainEqual({ path, message });
  });

  it('accepts intrinsic functions, numeric strings and AWS::NoValue list items', () => {
    const ok = template({
      Q: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: '5', QueueName: { Ref: 'Name' } } },
      G: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'g', SecurityGroupIngress: [{ 'Fn::If': ['C', { IpProtocol: 'tcp' }, { Ref: 'AWS::NoValue' }] }] },
      },
    });
    expect(checker.check(ok)).toEqual([]);
  });
});

describe('checkReferences', () => {
  const attributes = (type: string) => checker.attributes(type);

  it('reports unknown Refs, GetAtt attributes, Sub variables, conditions and dependencies', () => {
    const broken = template(
      {
        Q: { ...queue, DependsOn: 'Missing', Condition: 'Nope' },
        P: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: {
            Queues: [{ Ref: 'Ghost' }],
            PolicyDocument: {
              Resource: [{ 'Fn::GetAtt': ['Q', 'Url'] }, { 'Fn::GetAtt': 'Q.Nope' }, { 'Fn::Sub': '${Q.Arn}/${Missing}/${!Literal}' }],
            },
          },
        },
      },
      { Conditions: { Real: { 'Fn::Equals': [{ Ref: 'Q' }, 'x'] } } },
    );
    expect(checkReferences(broken, attributes).map((v) => v.message)).toEqual([
      'Ref to unknown parameter Q',
      'unknown condition Nope',
      'depends on unknown resource Missing',
      'Ref to unknown parameter or resource Ghost',
      'AWS::SQS::Queue has no attribute Url',
      'AWS::SQS::Queue has no attribute Nope',
      'Ref to unknown parameter or resource Missing',
    ]);
  });

  it('accepts parameters, pseudo parameters, attributes and Sub variable maps', () => {
    const ok = template({
      Q: queue,
      P: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: { Queues: [{ Ref: 'Q' }], PolicyDocument: { R: [{ 'Fn::Sub': ['${Q.Arn}-${Name}-${AWS::Region}-${X}', { X: 'y' }] }] } },
      },
    });
    expect(checkReferences(ok, attributes)).toEqual([]);
  });
});

describe('exports and imports', () => {
  it('reads the export and import name patterns and rejects others', () => {
    const t = template(
      {
        Q: { ...queue, Properties: { RedrivePolicy: { a: { 'Fn::ImportValue': { 'Fn::Sub': '${CommonInfraStackName}-QueueArn' } }, b: { 'Fn::ImportValue': 'literal-QueueArn' } } } },
      },
      {
        Outputs: {
          Good: { Value: 'x', Export: { Name: { 'Fn::Sub': '${AWS::StackName}-Good' } } },
          Bad: { Value: 'x', Export: { Name: 'fixed-name' } },
        },
      },
    );
    expect(exportsOf(t).names).toEqual(['Good']);
    expect(exportsOf(t).violations.map((v) => v.path)).toEqual(['Outputs.Bad.Export']);
    expect(importsOf(t).imports).toEqual([{ parameter: 'CommonInfraStackName', name: 'QueueArn', path: 'Resources.Q.Properties.RedrivePolicy.a' }]);
    expect(importsOf(t).violations.map((v) => v.path)).toEqual(['Resources.Q.Properties.RedrivePolicy.b']);
  });
});

describe('policy helpers', () => {
  it('finds statements in both branches of an Fn::If and ingress rules of both kinds', () => {
    const t = template({
      R: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*' }, { 'Fn::If': ['C', { Effect: 'Allow', Action: 'a:B' }, { Ref: 'AWS::NoValue' }] }] } }],
        },
      },
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 22, ToPort: 22 }] } },
      In: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, FromPort: 80, ToPort: 80 } },
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { SecurityGroups: [{ Ref: 'Sg' }] } },
      L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: 443 } },
      Named: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'fixed' } },
      Family: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'fixed-family' } },
      StackFamily: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: { 'Fn::Sub': '${AWS::StackName}-setup' } } },
    });
    expect(identityStatements(t).map((s) => s.statement.Action)).toEqual(['s3:*', 'a:B']);
    expect(ingressRules(t).map((r) => [r.group, r.rule.FromPort])).toEqual([
      ['Sg', 22],
      ['Sg', 80],
    ]);
    expect(listenerPortsBySecurityGroup(t).get('Sg')).toEqual(new Set([443]));
    expect(fixedNames(t)).toEqual(['Named.RoleName', 'Family.Family']);
  });
});
