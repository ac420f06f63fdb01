import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DeleteStackCommand, DescribeStackResourceCommand, type Capability } from '@aws-sdk/client-cloudformation';
import { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand, RestoreSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableEc2Id } from './core/ids';
import { allEvents, eventLines, sandboxFixture, template, waitForStack, type Fixture } from './testing';

let f: Fixture;
let certificate: { body: string; key: string };
let certDir: string;
beforeAll(async () => {
  f = await sandboxFixture();
  certDir = mkdtempSync(join(tmpdir(), 'sandbox-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-subj', '/CN=sandbox.test', '-days', '2'], {
    stdio: 'ignore',
  });
  certificate = { body: readFileSync(join(certDir, 'cert.pem'), 'utf8'), key: readFileSync(join(certDir, 'key.pem'), 'utf8') };
});
afterAll(async () => {
  rmSync(certDir, { recursive: true, force: true });
  await f.sandbox.close();
});

const VPC = stableEc2Id('vpc', 'us-east-1/workloads');
const SUBNETS = ['private-a', 'private-b'].map((tier) => stableEc2Id('subnet', `us-east-1/workloads/${tier}`));
let counter = 0;

/** Deploys `resources` as a new stack; resolves to its final status and event lines. */
async function deploy(resources: Record<string, unknown>, options: { capabilities?: Capability[]; sections?: Record<string, unknown> } = {}) {
  const name = `rt-${++counter}`;
  await f.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template(resources, options.sections), Capabilities: options.capabilities }));
  const stack = await waitForStack(f.cfn, name);
  return { name, stackId: stack.StackId!, status: stack.StackStatus, lines: eventLines(await allEvents(f.cfn, name)) };
}

/** Expects the stack to roll back because `logicalId` failed with a reason containing `message`. */
async function failsWith(resources: Record<string, unknown>, logicalId: string, message: string, options?: Parameters<typeof deploy>[1]) {
  const { status, lines } = await deploy(resources, options);
  expect(status).toBe('ROLLBACK_COMPLETE');
  const failure = lines.find((l) => l.startsWith(`${logicalId} CREATE_FAILED `));
  expect(failure).toContain(message);
}

async function physicalId(stack: string, logicalId: string) {
  return (await f.cfn.send(new DescribeStackResourceCommand({ StackName: stack, LogicalResourceId: logicalId }))).StackResourceDetail!.PhysicalResourceId!;
}

const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

const cluster = (providers: string[] = ['FARGATE', 'FARGATE_SPOT']) => ({ Type: 'AWS::ECS::Cluster', Properties: { CapacityProviders: providers } });
const container = (name: string, extra: Record<string, unknown> = {}) => ({ Name: name, Image: 'public.ecr.aws/docker/library/busybox:latest', ...extra });
const taskDefinition = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', Memory: '512', ContainerDefinitions: containers, ...extra },
});
const service = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ECS::Service',
  Properties: { Cluster: ref('Cluster'), TaskDefinition: ref('Task'), DesiredCount: 1, ...properties },
  ...extra,
});
const fargate = [{ CapacityProvider: 'FARGATE', Weight: 1 }];

describe('ECS: capacity providers', () => {
  it('a service with a FARGATE strategy runs on a cluster that has FARGATE', async () => {
    const { status } = await deploy({ Cluster: cluster(), Task: taskDefinition([container('app')]), Service: service({ CapacityProviderStrategy: fargate }) });
    expect(status).toBe('CREATE_COMPLETE');
  });

  it('fails when the cluster does not have the strategy\'s capacity provider associated', async () => {
    await failsWith(
      { Cluster: cluster([]), Task: taskDefinition([container('app')]), Service: service({ CapacityProviderStrategy: fargate }) },
      'Service',
      'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.',
    );
  });

  it('a ClusterCapacityProviderAssociations resource associates providers with a cluster', async () => {
    const { status } = await deploy({
      Cluster: cluster([]),
      Providers: { Type: 'AWS::ECS::ClusterCapacityProviderAssociations', Properties: { Cluster: ref('Cluster'), CapacityProviders: ['FARGATE_SPOT'], DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT' }] } },
      Task: taskDefinition([container('app')]),
      Service: service({ CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] }, { DependsOn: 'Providers' }),
    });
    expect(status).toBe('CREATE_COMPLETE');
  });

  it('refuses a launch type together with a capacity provider strategy', async () => {
    await failsWith(
      { Cluster: cluster(), Task: taskDefinition([container('app')]), Service: service({ LaunchType: 'FARGATE', CapacityProviderStrategy: fargate }) },
      'Service',
      'Specifying both a launch type and capacity provider strategy is not supported.',
    );
  });

  it('refuses a default strategy naming a provider the cluster does not list', async () => {
    await failsWith({ Cluster: { Type: 'AWS::ECS::Cluster', Properties: { CapacityProviders: ['FARGATE'], DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT' }] } } }, 'Cluster', 'not associated with the cluster');
  });
});

describe('ECS: task definitions', () => {
  it('accepts dependency chains like a migration task (COMPLETE/SUCCESS on non-essential containers), ARM64 and larger ephemeral storage', async () => {
    const { status } = await deploy({
      Task: taskDefinition(
        [
          container('init', { Essential: false }),
          container('migrate', { Essential: false, DependsOn: [{ ContainerName: 'init', Condition: 'COMPLETE' }] }),
          container('keepalive', { DependsOn: [{ ContainerName: 'migrate', Condition: 'SUCCESS' }] }),
          container('sidecar', { Essential: false, HealthCheck: { Command: ['CMD', 'true'] } }),
          container('app', { DependsOn: [{ ContainerName: 'sidecar', Condition: 'HEALTHY' }, { ContainerName: 'keepalive', Condition: 'START' }] }),
        ],
        { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' }, EphemeralStorage: { SizeInGiB: 100 }, Cpu: '4096', Memory: '8192' },
      ),
    });
    expect(status).toBe('CREATE_COMPLETE');
  });

  it.each([
    ['a dependency on a container that is not there', [container('app', { DependsOn: [{ ContainerName: 'ghost', Condition: 'START' }] })], {}, 'depends on container ghost, which is not in this task definition'],
    ['SUCCESS on an essential container', [container('db'), container('app', { DependsOn: [{ ContainerName: 'db', Condition: 'SUCCESS' }] })], {}, 'Dependency condition SUCCESS cannot be set on essential container db.'],
    ['HEALTHY on a container without a health check', [container('db', { Essential: false }), container('app', { DependsOn: [{ ContainerName: 'db', Condition: 'HEALTHY' }] })], {}, 'requires container db to have a health check'],
    ['no essential container', [container('a', { Essential: false }), container('b', { Essential: false })], {}, 'A task definition must have at least one essential container.'],
    ['a Fargate size that does not exist', [container('app')], { Cpu: '256', Memory: '4096' }, 'No Fargate configuration exists for given values: 256 CPU, 4096 memory.'],
    ['ephemeral storage below 21 GiB', [container('app')], { EphemeralStorage: { SizeInGiB: 10 } }, 'The ephemeral storage size must be between 21 GiB and 200 GiB'],
    ['an unknown CPU architecture', [container('app')], { RuntimePlatform: { CpuArchitecture: 'RISCV' } }, 'CpuArchitecture RISCV is not one of X86_64, ARM64.'],
  ])('refuses %s', async (_case, containers, extra, message) => {
    await failsWith({ Task: taskDefinition(containers, extra) }, 'Task', message);
  });
});

const loadBalancer = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', Scheme: 'internal', Subnets: SUBNETS } };
const targetGroup = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 8080, Protocol: 'HTTP', TargetType: 'ip', VpcId: VPC } };
const httpListener = (port = 80) => ({
  Type: 'AWS::ElasticLoadBalancingV2::Listener',
  Properties: { LoadBalancerArn: ref('Alb'), Port: port, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] },
});
const rule = (priority: number, paths: string[], extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
  Properties: { ListenerArn: ref('Listener'), Priority: priority, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: paths } }], Actions: [{ Type: 'forward', TargetGroupArn: ref('Tg') }] },
  ...extra,
});

describe('Elastic Load Balancing', () => {
  it('a service whose target group a rule forwards to starts once the rule exists', async () => {
    const { status } = await deploy({
      Cluster: cluster(),
      Task: taskDefinition([container('app', { PortMappings: [{ ContainerPort: 8080 }] })]),
      Alb: loadBalancer,
      Listener: httpListener(),
      Tg: targetGroup,
      Rule: rule(100, ['/api/*']),
      Service: service({ CapacityProviderStrategy: fargate, LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: ref('Tg') }] }, { DependsOn: 'Rule' }),
    });
    expect(status).toBe('CREATE_COMPLETE');
  });

  it('a service started before its target group is attached fails as ECS reports it', async () => {
    await failsWith(
      {
        Cluster: cluster(),
        Task: taskDefinition([container('app')]),
        Tg: targetGroup,
        Service: service({ CapacityProviderStrategy: fargate, LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: ref('Tg') }] }),
      },
      'Service',
      'does not have an associated load balancer',
    );
  });

  it('listener rule priorities are unique per listener', async () => {
    await failsWith({ Alb: loadBalancer, Listener: httpListener(), Tg: targetGroup, First: rule(100, ['/a/*']), Second: rule(100, ['/b/*'], { DependsOn: 'First' }) }, 'Second', "Priority '100' is currently in use");
  });

  it('a rule has at most five condition values', async () => {
    await failsWith({ Alb: loadBalancer, Listener: httpListener(), Tg: targetGroup, Rule: rule(10, ['/1', '/2', '/3', '/4', '/5', '/6']) }, 'Rule', "A rule can only have '5' condition values");
  });

  it('one listener per port on a load balancer', async () => {
    await failsWith({ Alb: loadBalancer, Listener: httpListener(443), Again: { ...httpListener(443), DependsOn: 'Listener' } }, 'Again', 'A listener already exists on this port for this load balancer');
  });

  it('an HTTPS listener needs a certificate, and the certificate must exist', async () => {
    const https = (certificates?: unknown[]) => ({
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: ref('Alb'), Port: 443, Protocol: 'HTTPS', ...(certificates ? { Certificates: certificates } : {}), DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] },
    });
    await failsWith({ Alb: loadBalancer, Listener: https() }, 'Listener', 'A certificate must be specified for HTTPS listeners');
    await failsWith({ Alb: loadBalancer, Listener: https([{ CertificateArn: '' }]) }, 'Listener', "Certificate ARN '' is not valid");
    await failsWith({ Alb: loadBalancer, Listener: https([{ CertificateArn: 'arn:aws:iam::111111111111:server-certificate/missing' }]) }, 'Listener', "Certificate 'arn:aws:iam::111111111111:server-certificate/missing' not found");
    const ok = await deploy({
      Cert: { Type: 'AWS::IAM::ServerCertificate', Properties: { CertificateBody: certificate.body, PrivateKey: certificate.key } },
      Alb: loadBalancer,
      Listener: https([{ CertificateArn: getAtt('Cert', 'Arn') }]),
    });
    expect(ok.status).toBe('CREATE_COMPLETE');
  });
});

describe('IAM server certificates', () => {
  it('uploads a PEM certificate and key without any capability; Ref is the name, Arn the server-certificate ARN', async () => {
    const { name, status } = await deploy(
      { Cert: { Type: 'AWS::IAM::ServerCertificate', Properties: { CertificateBody: certificate.body, PrivateKey: certificate.key, Path: '/sandbox/' } } },
      { sections: { Outputs: { Arn: { Value: getAtt('Cert', 'Arn') } } } },
    );
    expect(status).toBe('CREATE_COMPLETE');
    const certName = await physicalId(name, 'Cert');
    expect(certName).toMatch(new RegExp(`^${name}-Cert-`));
  });

  it.each([
    ['a body that is not a certificate', () => ({ CertificateBody: 'not a certificate', PrivateKey: certificate.key }), 'Unable to parse certificate. Please ensure the certificate is in PEM format.'],
    ['a key that is not the certificate\'s', () => ({ CertificateBody: certificate.body, PrivateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }), 'The public key certificate and the private key do not match.'],
    ['a key that is not a key', () => ({ CertificateBody: certificate.body, PrivateKey: 'garbage' }), 'Unable to parse private key.'],
  ])('refuses %s', async (_case, properties, message) => {
    await failsWith({ Cert: { Type: 'AWS::IAM::ServerCertificate', Properties: properties() } }, 'Cert', message);
  });
});

describe('Cloud Map', () => {
  const namespace = (name: string) => ({ Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace', Properties: { Name: name, Vpc: VPC } });

  it('a private DNS namespace and a service in it; the namespace\'s Id feeds the service', async () => {
    const { name, status } = await deploy(
      {
        Namespace: namespace('svc-a.local'),
        Discovery: {
          Type: 'AWS::ServiceDiscovery::Service',
          Properties: { Name: 'query-api', NamespaceId: getAtt('Namespace', 'Id'), DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }], RoutingPolicy: 'MULTIVALUE' } },
        },
      },
      { sections: { Outputs: { NamespaceId: { Value: getAtt('Namespace', 'Id') }, ServiceArn: { Value: getAtt('Discovery', 'Arn') } } } },
    );
    expect(status).toBe('CREATE_COMPLETE');
    expect(await physicalId(name, 'Namespace')).toMatch(/^ns-[a-z0-9]{16}$/);
    expect(await physicalId(name, 'Discovery')).toMatch(/^srv-[a-z0-9]{16}$/);
    await f.cfn.send(new DeleteStackCommand({ StackName: name }));
  });

  it('a second namespace of the same name on the same VPC fails: one private zone of a name per VPC', async () => {
    const first = await deploy({ Namespace: namespace('shared.local') });
    expect(first.status).toBe('CREATE_COMPLETE');
    await failsWith({ Namespace: namespace('shared.local') }, 'Namespace', 'ConflictingDomainExists');
    // Another name on the same VPC is fine.
    expect((await deploy({ Namespace: namespace('other.local') })).status).toBe('CREATE_COMPLETE');
  });

  it('a service in a namespace that does not exist fails', async () => {
    await failsWith({ Discovery: { Type: 'AWS::ServiceDiscovery::Service', Properties: { Name: 'x', NamespaceId: 'ns-doesnotexist0000' } } }, 'Discovery', 'Namespace not found');
  });
});

describe('Application Auto Scaling', () => {
  const target = (resourceId: unknown, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
    Properties: { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceId: resourceId, MinCapacity: 1, MaxCapacity: 10 },
    ...extra,
  });
  const policy = (extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
    Properties: {
      PolicyName: 'cpu',
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: ref('Target'),
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
      ...extra,
    },
  });
  const resourceId = { 'Fn::Join': ['/', ['service', ref('Cluster'), getAtt('Service', 'Name')]] };

  it('scales an ECS service named service/<cluster>/<service>; Ref of the target is its identifier', async () => {
    const { name, status } = await deploy({
      Cluster: cluster(),
      Task: taskDefinition([container('app')]),
      Service: service({ CapacityProviderStrategy: fargate }),
      Target: target(resourceId),
      Policy: policy(),
    });
    expect(status).toBe('CREATE_COMPLETE');
    expect(await physicalId(name, 'Target')).toMatch(/^service\/[^/]+\/[^|]+\|ecs:service:DesiredCount\|ecs$/);
    expect(await physicalId(name, 'Policy')).toMatch(/^arn:aws:autoscaling:us-east-1:111111111111:scalingPolicy:[0-9a-f-]+:resource\/ecs\/service\/.+:policyName\/cpu$/);
  });

  it('a target naming an ECS service that does not exist fails', async () => {
    await failsWith({ Cluster: cluster(), Target: target({ 'Fn::Join': ['/', ['service', ref('Cluster'), 'missing']] }) }, 'Target', "ECS service doesn't exist: service/");
  });

  it('a policy without a registered target fails', async () => {
    await failsWith({ Policy: policy({ ScalingTargetId: 'service/nowhere/none|ecs:service:DesiredCount|ecs' }) }, 'Policy', 'No scalable target registered for service namespace: ecs, resource ID: service/nowhere/none, scalable dimension: ecs:service:DesiredCount');
  });

  it('a target whose maximum is below its minimum fails', async () => {
    await failsWith(
      { Cluster: cluster(), Task: taskDefinition([container('app')]), Service: service({ CapacityProviderStrategy: fargate }), Target: target(resourceId, { Properties: { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceId: resourceId, MinCapacity: 5, MaxCapacity: 2 } }) },
      'Target',
      'Maximum capacity cannot be less than minimum capacity',
    );
  });
});

describe('S3 and SQS', () => {
  const queuePolicy = {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref('Queue')],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
            Resource: getAtt('Queue', 'Arn'),
            Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::rt-raw-*' } },
          },
        ],
      },
    },
  };
  const notified = (prefixes: string[], extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: { 'Fn::Sub': 'rt-raw-${AWS::StackName}' },
      LifecycleConfiguration: { Rules: [{ Id: 'expire', Status: 'Enabled', Prefix: '', ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] },
      NotificationConfiguration: {
        QueueConfigurations: prefixes.map((prefix) => ({ Event: 's3:ObjectCreated:*', Queue: getAtt('Queue', 'Arn'), Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } } })),
      },
    },
    ...extra,
  });
  const queues = {
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 90, RedrivePolicy: { deadLetterTargetArn: getAtt('Dlq', 'Arn'), maxReceiveCount: 5 } } },
  };

  it('a bucket that DependsOn its queue\'s policy gets its prefix-filtered notifications and lifecycle rule', async () => {
    const { status } = await deploy({ ...queues, Policy: queuePolicy, Bucket: notified(['otel-raw/', 'cwmetrics-raw/'], { DependsOn: 'Policy' }) });
    expect(status).toBe('CREATE_COMPLETE');
  });

  it('a bucket whose queue policy is not there yet fails as S3 does when it validates the destination', async () => {
    await failsWith({ ...queues, Policy: queuePolicy, Bucket: notified(['otel-raw/']) }, 'Bucket', 'Unable to validate the following destination configurations');
  });

  it('notifications whose prefixes overlap for the same event fail', async () => {
    await failsWith({ ...queues, Policy: queuePolicy, Bucket: notified(['raw/', 'raw/otel/'], { DependsOn: 'Policy' }) }, 'Bucket', 'Configurations overlap.');
  });

  it('a lifecycle rule without an action fails', async () => {
    await failsWith({ Bucket: { Type: 'AWS::S3::Bucket', Properties: { LifecycleConfiguration: { Rules: [{ Id: 'nothing', Status: 'Enabled', Prefix: 'x/' }] } } } }, 'Bucket', 'At least one action needs to be specified in a rule');
  });

  it('a redrive policy naming a queue that does not exist fails', async () => {
    await failsWith(
      { Queue: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:111111111111:nowhere', maxReceiveCount: 5 } } } },
      'Queue',
      'for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.',
    );
  });
});

describe('Firehose and CloudWatch metric streams', () => {
  const trust = (service: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const stream = (destination: Record<string, unknown>) => ({
    Type: 'AWS::KinesisFirehose::DeliveryStream',
    Properties: {
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: getAtt('Bucket', 'Arn'),
        RoleARN: getAtt('DeliveryRole', 'Arn'),
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 },
        ...destination,
      },
    },
  });
  const base = {
    Bucket: { Type: 'AWS::S3::Bucket' },
    DeliveryRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('firehose.amazonaws.com') } },
    StreamRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('streams.metrics.cloudwatch.amazonaws.com') } },
  };
  const metricStream = (format: string) => ({
    Type: 'AWS::CloudWatch::MetricStream',
    Properties: { FirehoseArn: getAtt('Stream', 'Arn'), RoleArn: getAtt('StreamRole', 'Arn'), OutputFormat: format, ExcludeFilters: [{ Namespace: 'AWS/Usage' }] },
  });

  it('a delivery stream into a bucket under a timestamped prefix, and a JSON metric stream into it', async () => {
    const { name, status } = await deploy(
      {
        ...base,
        Stream: stream({ Prefix: 'cwmetrics-raw/org/!{timestamp:yyyy/MM/dd/HH}/', ErrorOutputPrefix: 'cwmetrics-errors/!{firehose:error-output-type}/' }),
        Metrics: metricStream('json'),
      },
      { capabilities: ['CAPABILITY_IAM'] },
    );
    expect(status).toBe('CREATE_COMPLETE');
    expect(await physicalId(name, 'Metrics')).toMatch(new RegExp(`^${name}-Metrics-`));
  });

  it('a prefix with expressions needs an error output prefix', async () => {
    await failsWith({ ...base, Stream: stream({ Prefix: 'raw/!{timestamp:yyyy}/' }) }, 'Stream', 'ErrorOutputPrefix cannot be null or empty when Prefix contains expressions', { capabilities: ['CAPABILITY_IAM'] });
  });

  it('a metric stream output format must be one CloudWatch offers', async () => {
    await failsWith({ ...base, Stream: stream({}), Metrics: metricStream('xml') }, 'Metrics', "Value 'xml' at 'outputFormat' failed to satisfy constraint", { capabilities: ['CAPABILITY_IAM'] });
  });
});

describe('Secrets Manager names and RDS', () => {
  const named = (name: string, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::SecretsManager::Secret', Properties: { Name: name, SecretString: 'v' }, ...extra });

  it('a name held by a secret pending deletion cannot be reused until it is restored or force-deleted', async () => {
    await f.secrets.send(new CreateSecretCommand({ Name: 'rt-pending', SecretString: 'old' }));
    await f.secrets.send(new DeleteSecretCommand({ SecretId: 'rt-pending', RecoveryWindowInDays: 7 }));
    await expect(f.secrets.send(new GetSecretValueCommand({ SecretId: 'rt-pending' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(f.secrets.send(new CreateSecretCommand({ Name: 'rt-pending', SecretString: 'new' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
    });
    await failsWith({ Secret: named('rt-pending') }, 'Secret', "You can't create this secret because a secret with this name is already scheduled for deletion.");

    await f.secrets.send(new RestoreSecretCommand({ SecretId: 'rt-pending' }));
    expect((await f.secrets.send(new GetSecretValueCommand({ SecretId: 'rt-pending' }))).SecretString).toBe('old');
    await f.secrets.send(new DeleteSecretCommand({ SecretId: 'rt-pending', ForceDeleteWithoutRecovery: true }));
    expect((await deploy({ Secret: named('rt-pending') })).status).toBe('CREATE_COMPLETE');
  });

  it('a retained secret keeps its fixed name after its stack is gone, until it is force-deleted', async () => {
    const first = await deploy({ Secret: named('rt-retained', { DeletionPolicy: 'Retain' }) });
    await f.cfn.send(new DeleteStackCommand({ StackName: first.name }));
    expect((await waitForStack(f.cfn, first.stackId)).StackStatus).toBe('DELETE_COMPLETE');
    await failsWith({ Secret: named('rt-retained') }, 'Secret', "with identifier 'rt-retained' already exists");
    await f.secrets.send(new DeleteSecretCommand({ SecretId: 'rt-retained', ForceDeleteWithoutRecovery: true }));
    expect((await deploy({ Secret: named('rt-retained') })).status).toBe('CREATE_COMPLETE');
  });

  it('a DB instance in a subnet group that does not exist fails', async () => {
    await failsWith(
      { Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', DBSubnetGroupName: 'no-such-group', MasterUsername: 'u', MasterUserPassword: 'password123' } } },
      'Db',
      "DBSubnetGroup 'no-such-group' not found.",
    );
  });
});
