// An application root shaped like the ones the console deploys today: a Cloud Map namespace and
// nested children (a certificate, a load balancer, a migration service, a service tier) wired by
// outputs, on a cluster another stack made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DeleteStackCommand, ListStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableEc2Id } from './core/ids';
import { allEvents, eventLines, sandboxFixture, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
let pem: { body: string; key: string };
beforeAll(async () => {
  f = await sandboxFixture();
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-app-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=app.test', '-days', '2'], { stdio: 'ignore' });
    pem = { body: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await f.s3.send(new CreateBucketCommand({ Bucket: 'app-templates' }));
  for (const [key, body] of Object.entries(children)) await publish(`v1/${key}.json`, body('v1'));
  await publish('v2/cert.json', children.cert('v2'));
  await publish('v2/alb.json', children.alb('v2'));
  await publish('v2/migration.json', children.migration('v2'));
  await publish('v2/query.json', children.query('v2'));
  await f.cfn.send(new CreateStackCommand({ StackName: 'app-cluster', TemplateBody: template({ Cluster: { Type: 'AWS::ECS::Cluster', Properties: { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] } } }, { Outputs: { ClusterName: { Value: { Ref: 'Cluster' } } } }) }));
  const cluster = await waitForStack(f.cfn, 'app-cluster');
  clusterName = cluster.Outputs![0]!.OutputValue!;
});
afterAll(() => f.sandbox.close());

let clusterName = '';
const VPC = stableEc2Id('vpc', 'us-east-1/workloads');
const SUBNETS = ['private-a', 'private-b'].map((tier) => stableEc2Id('subnet', `us-east-1/workloads/${tier}`));
const publish = (key: string, body: string) => f.s3.send(new PutObjectCommand({ Bucket: 'app-templates', Key: key, Body: body }));
const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });
const str = (names: string[]) => Object.fromEntries(names.map((n) => [n, { Type: 'String' }]));
const fargate = [{ CapacityProvider: 'FARGATE', Weight: 1 }];
const image = (version: string) => `public.ecr.aws/example/app:${version}`;

const children = {
  cert: (version: string) =>
    template(
      { ServerCertificate: { Type: 'AWS::IAM::ServerCertificate', Properties: { CertificateBody: ref('CertificateBody'), PrivateKey: ref('CertificatePrivateKey') } } },
      {
        Description: `Certificate (${version}).`,
        Parameters: { CertificateBody: { Type: 'String', NoEcho: true }, CertificatePrivateKey: { Type: 'String', NoEcho: true } },
        Outputs: { EffectiveCertificateArn: { Value: getAtt('ServerCertificate', 'Arn') } },
      },
    ),
  alb: (version: string) =>
    template(
      {
        Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', Scheme: 'internal', Subnets: { 'Fn::Split': [',', ref('SubnetsCsv')] } } },
        HttpsListener: {
          Type: 'AWS::ElasticLoadBalancingV2::Listener',
          Properties: {
            LoadBalancerArn: ref('Alb'),
            Port: 443,
            Protocol: 'HTTPS',
            Certificates: [{ CertificateArn: ref('CertificateArn') }],
            DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no listener rule matched' } }],
          },
        },
      },
      { Description: `Load balancer (${version}).`, Parameters: str(['SubnetsCsv', 'CertificateArn']), Outputs: { HttpsListenerArn: { Value: ref('HttpsListener') }, AlbDnsName: { Value: getAtt('Alb', 'DNSName') } } },
    ),
  migration: (version) =>
    template(
      {
        MigratorTaskDef: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            Family: 'app-migrator',
            RequiresCompatibilities: ['FARGATE'],
            NetworkMode: 'awsvpc',
            Cpu: '256',
            Memory: '512',
            RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
            ContainerDefinitions: [
              { Name: 'configdb-init', Image: 'postgres:18-alpine', Essential: false },
              { Name: 'migrator', Image: image(version), Essential: false, DependsOn: [{ ContainerName: 'configdb-init', Condition: 'COMPLETE' }] },
              { Name: 'keepalive', Image: 'postgres:18-alpine', DependsOn: [{ ContainerName: 'migrator', Condition: 'SUCCESS' }] },
            ],
          },
        },
        MigratorService: { Type: 'AWS::ECS::Service', Properties: { Cluster: ref('ClusterName'), TaskDefinition: ref('MigratorTaskDef'), DesiredCount: 1, CapacityProviderStrategy: fargate } },
      },
      { Parameters: str(['ClusterName']), Outputs: { MigrationServiceArn: { Value: ref('MigratorService') } } },
    ),
  query: (version) =>
    template(
      {
        QueryApiTargetGroup: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 8080, Protocol: 'HTTP', TargetType: 'ip', VpcId: ref('VpcId'), HealthCheckPath: '/healthz', HealthCheckPort: '8090' } },
        QueryApiListenerRule: rule(100, ['/api/v1/logs/*', '/api/v1/metrics/*', '/api/v1/spans/*', '/api/v1/promql/*', '/api/v1/logql/*']),
        QueryApiExtraListenerRule: rule(105, ['/api/v1/ping', '/api/v1/services', '/api/v1/features']),
        QueryApiDiscoveryService: {
          Type: 'AWS::ServiceDiscovery::Service',
          Properties: { Name: 'query-api', NamespaceId: ref('ServiceNamespaceId'), DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }], RoutingPolicy: 'MULTIVALUE' } },
        },
        QueryApiTaskDef: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '1024', Memory: '2048', ContainerDefinitions: [{ Name: 'query-api', Image: image(version), PortMappings: [{ ContainerPort: 8080 }, { ContainerPort: 8090 }] }] },
        },
        QueryApiService: {
          Type: 'AWS::ECS::Service',
          DependsOn: ['QueryApiListenerRule', 'QueryApiExtraListenerRule'],
          Properties: {
            Cluster: ref('ClusterName'),
            TaskDefinition: ref('QueryApiTaskDef'),
            DesiredCount: 1,
            CapacityProviderStrategy: fargate,
            HealthCheckGracePeriodSeconds: 60,
            LoadBalancers: [{ ContainerName: 'query-api', ContainerPort: 8080, TargetGroupArn: ref('QueryApiTargetGroup') }],
            ServiceRegistries: [{ RegistryArn: getAtt('QueryApiDiscoveryService', 'Arn') }],
          },
        },
        QueryApiScalableTarget: {
          Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
          DependsOn: 'QueryApiService',
          Properties: { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceId: { 'Fn::Sub': 'service/${ClusterName}/${QueryApiService.Name}' }, MinCapacity: 1, MaxCapacity: 4 },
        },
        QueryApiCpuScalingPolicy: {
          Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
          Properties: {
            PolicyName: { 'Fn::Sub': '${QueryApiService.Name}-cpu' },
            PolicyType: 'TargetTrackingScaling',
            ScalingTargetId: ref('QueryApiScalableTarget'),
            TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
          },
        },
      },
      { Parameters: { ...str(['ClusterName', 'HttpsListenerArn', 'ServiceNamespaceId', 'MigrationComplete']), VpcId: { Type: 'AWS::EC2::VPC::Id' } }, Outputs: { QueryApiServiceName: { Value: getAtt('QueryApiService', 'Name') } } },
    ),
} satisfies Record<string, (version: string) => string>;

function rule(priority: number, paths: string[]) {
  return {
    Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
    Properties: {
      ListenerArn: ref('HttpsListenerArn'),
      Priority: priority,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: paths } }],
      Actions: [{ Type: 'forward', TargetGroupArn: ref('QueryApiTargetGroup') }],
    },
  };
}

const child = (file: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::CloudFormation::Stack',
  Properties: { TemplateURL: { 'Fn::Sub': `\${TemplateBaseUrl}${file}.json` }, Parameters: parameters },
  ...extra,
});

const root = template(
  {
    ServiceNamespace: { Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace', Properties: { Name: ref('ServiceNamespaceName'), Vpc: ref('VpcId') } },
    Cert: child('cert', { CertificateBody: ref('CertificateBody'), CertificatePrivateKey: ref('CertificatePrivateKey') }),
    Alb: child('alb', { SubnetsCsv: { 'Fn::Join': [',', ref('PrivateSubnets')] }, CertificateArn: getAtt('Cert', 'Outputs.EffectiveCertificateArn') }, { DependsOn: 'Cert' }),
    Migration: child('migration', { ClusterName: ref('ClusterName') }),
    Query: child(
      'query',
      {
        ClusterName: ref('ClusterName'),
        VpcId: ref('VpcId'),
        HttpsListenerArn: getAtt('Alb', 'Outputs.HttpsListenerArn'),
        ServiceNamespaceId: getAtt('ServiceNamespace', 'Id'),
        MigrationComplete: getAtt('Migration', 'Outputs.MigrationServiceArn'),
      },
      { DependsOn: 'Migration' },
    ),
  },
  {
    Parameters: {
      VpcId: { Type: 'AWS::EC2::VPC::Id' },
      PrivateSubnets: { Type: 'List<AWS::EC2::Subnet::Id>' },
      ClusterName: { Type: 'String' },
      ServiceNamespaceName: { Type: 'String', Default: 'app.local' },
      TemplateBaseUrl: { Type: 'String', AllowedPattern: '^https://.+/$' },
      CertificateBody: { Type: 'String', NoEcho: true },
      CertificatePrivateKey: { Type: 'String', NoEcho: true },
    },
    Outputs: { AlbDnsName: { Value: getAtt('Alb', 'Outputs.AlbDnsName') }, QueryApiServiceName: { Value: getAtt('Query', 'Outputs.QueryApiServiceName') } },
  },
);

const parameters = (version: string, namespace = 'app.local') =>
  Object.entries({
    VpcId: VPC,
    PrivateSubnets: SUBNETS.join(','),
    ClusterName: clusterName,
    ServiceNamespaceName: namespace,
    TemplateBaseUrl: `https://app-templates.s3.us-east-1.amazonaws.com/${version}/`,
    CertificateBody: pem.body,
    CertificatePrivateKey: pem.key,
  }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

describe('an application root with nested children on the sandbox', () => {
  it('creates, upgrades its images through new child templates, and tears down; a second install in the same VPC collides on the namespace', async () => {
    const { StackId: rootId } = await f.cfn.send(new CreateStackCommand({ StackName: 'app-services', TemplateBody: root, Parameters: parameters('v1') }));
    const created = await waitForStack(f.cfn, 'app-services');
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    expect(created.Outputs!.find((o) => o.OutputKey === 'AlbDnsName')!.OutputValue).toMatch(/^internal-.+\.us-east-1\.elb\.amazonaws\.com$/);
    const nested = (await f.cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] }))).StackSummaries!.filter((s) => s.RootId === rootId);
    expect(nested.map((s) => s.StackName!.replace(/-[A-Z0-9]{13}$/, '')).sort()).toEqual(['app-services-Alb', 'app-services-Cert', 'app-services-Migration', 'app-services-Query']);

    // A second install on the same VPC: the namespace is a private zone the VPC already has.
    await f.cfn.send(new CreateStackCommand({ StackName: 'app-services-two', TemplateBody: root, Parameters: parameters('v1') }));
    expect((await waitForStack(f.cfn, 'app-services-two')).StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(eventLines(await allEvents(f.cfn, 'app-services-two')).find((l) => l.startsWith('ServiceNamespace CREATE_FAILED'))).toContain('ConflictingDomainExists');

    // The upgrade: the same root with the next release's child templates.
    const before = (await allEvents(f.cfn, 'app-services')).length;
    await f.cfn.send(new UpdateStackCommand({ StackName: 'app-services', UsePreviousTemplate: true, Parameters: parameters('v2') }));
    expect((await waitForStack(f.cfn, 'app-services')).StackStatus).toBe('UPDATE_COMPLETE');
    const upgrade = eventLines((await allEvents(f.cfn, 'app-services')).slice(before));
    expect(upgrade.filter((l) => / UPDATE_COMPLETE$/.test(l)).map((l) => l.split(' ')[0]).sort()).toEqual(['Alb', 'Cert', 'Migration', 'Query', 'app-services']);
    const query = nested.find((s) => s.StackName!.startsWith('app-services-Query-'))!;
    const queryLines = eventLines(await allEvents(f.cfn, query.StackId!));
    // A new image replaces the task definitions (create-only property); the services follow in place.
    expect(queryLines).toContain('QueryApiTaskDef UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.');
    expect(queryLines).toContain('QueryApiService UPDATE_COMPLETE');

    await f.cfn.send(new DeleteStackCommand({ StackName: 'app-services' }));
    expect((await waitForStack(f.cfn, rootId!)).StackStatus).toBe('DELETE_COMPLETE');
    for (const stack of nested) expect((await waitForStack(f.cfn, stack.StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    // The namespace went with it: the same name on the same VPC is free again.
    await f.cfn.send(new CreateStackCommand({ StackName: 'app-services-three', TemplateBody: root, Parameters: parameters('v1') }));
    expect((await waitForStack(f.cfn, 'app-services-three')).StackStatus).toBe('CREATE_COMPLETE');
  });
});
