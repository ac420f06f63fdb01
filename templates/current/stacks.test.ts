// The current line's top-level stacks as the fact sheet describes them (§2.1–2.8): storage and
// secrets, the database, the satellite's bucket, queues and notifications, the collector and its
// configuration, the CloudWatch stream, the root's conditions, our VPC and cluster, and what
// happens to each stateful resource on delete and replacement.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UNKNOWN } from '@/lib/cfn/resolve';
import type { Expr } from '@/lib/cfn/template';
import { checkRule } from '@/lib/params/check';
import { otelConfigShape } from '@/lib/params/formats';
import { resourcesOfType } from '../testing/policies';
import { COLLECTOR_CONFIG_YAML } from './collector-config';
import type { CurrentStackId } from './ids';
import { CURRENT_STACKS } from './index';
import { FILES, propsOf, readWith, resourceOf, templateOf } from './testing/rendered';

describe('infra-base storage and secrets', () => {
  const t = templateOf('infra-base');

  it('names the cooked bucket after the account and region unless a name is given, encrypted, public access blocked on request', () => {
    expect(propsOf(t, 'CookedBucket')).toMatchObject({
      BucketName: { 'Fn::If': ['UseDefaultCookedBucketName', { 'Fn::Sub': 'cardinal-cooked-${AWS::AccountId}-${AWS::Region}' }, { Ref: 'CookedBucketName' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(readWith(t, { ConfigureBucketPublicAccessBlock: 'true' }).value(propsOf(t, 'CookedBucket').PublicAccessBlockConfiguration as Expr)).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(readWith(t, {}).condition('AddCookedBucketPublicAccessBlock')).toBe(false);
    expect(readWith(t, { CookedBucketName: 'acme-cooked' }).value(propsOf(t, 'CookedBucket').BucketName as Expr)).toBe('acme-cooked');
  });

  it('stores the license verbatim and generates a 64-character admin key, in secrets named by parameter', () => {
    expect(propsOf(t, 'LicenseSecret')).toMatchObject({ Name: { Ref: 'LicenseSecretName' }, SecretString: { 'Fn::If': ['HasLicenseData', { Ref: 'LicenseData' }, { Ref: 'AWS::NoValue' }] } });
    expect(propsOf(t, 'AdminKeySecret')).toMatchObject({
      Name: { Ref: 'AdminKeySecretName' },
      GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'key', PasswordLength: 64, ExcludePunctuation: true },
    });
    expect(t.Parameters?.LicenseData?.NoEcho).toBe(true);
  });

  it('opens the load balancer to each non-empty allowed CIDR, and to everyone when internet-facing', () => {
    const internal = readWith(t, { AlbAllowedCidr2: '' });
    expect([1, 2, 3].map((n) => internal.condition(`HasAlbCidr${n}`))).toEqual([true, false, true]);
    expect(internal.condition('AlbIsInternetFacing')).toBe(false);
    expect(readWith(t, { AlbScheme: 'internet-facing' }).condition('AlbIsInternetFacing')).toBe(true);
  });
});

describe('infra-rds', () => {
  const t = templateOf('infra-rds');

  it('runs an encrypted gp3 PostgreSQL instance, private, backed up for 7 days, without deletion protection', () => {
    expect(propsOf(t, 'DBInstance')).toMatchObject({
      Engine: 'postgres',
      EngineVersion: { Ref: 'DBEngineVersion' },
      DBInstanceClass: { Ref: 'DBInstanceClass' },
      AllocatedStorage: { Ref: 'DBAllocatedStorage' },
      StorageType: 'gp3',
      StorageEncrypted: true,
      DBName: 'lakerunner',
      Port: '5432',
      MasterUsername: 'lakerunner',
      MasterUserPassword: { 'Fn::Sub': '{{resolve:secretsmanager:${DBMasterSecret}:SecretString:password}}' },
      PubliclyAccessible: false,
      MultiAZ: false,
      BackupRetentionPeriod: 7,
      DeletionProtection: false,
      VPCSecurityGroups: [{ 'Fn::GetAtt': ['RdsSecurityGroup', 'GroupId'] }],
    });
  });

  it('keeps the master credentials in cardinal-db-master (the roles read secret:cardinal-*) and attaches them to the instance', () => {
    expect(propsOf(t, 'DBMasterSecret')).toMatchObject({
      Name: 'cardinal-db-master',
      GenerateSecretString: { SecretStringTemplate: '{"username":"lakerunner"}', GenerateStringKey: 'password', PasswordLength: 40, ExcludePunctuation: true },
    });
    expect(propsOf(t, 'DBMasterSecretAttachment')).toEqual({ SecretId: { Ref: 'DBMasterSecret' }, TargetId: { Ref: 'DBInstance' }, TargetType: 'AWS::RDS::DBInstance' });
    expect(t.Outputs?.DbName?.Value).toBe('lakerunner');
  });
});

describe('satellite-infra-base', () => {
  const t = templateOf('satellite-infra-base');

  it('notifies the queue of new objects under otel-raw/ and cwmetrics-raw/ only, after the queue policy exists', () => {
    const bucket = resourceOf(t, 'RawIngestBucket');
    expect(bucket.DependsOn).toBe('RawIngestQueuePolicy');
    expect((bucket.Properties?.NotificationConfiguration as { QueueConfigurations: unknown[] }).QueueConfigurations).toEqual(
      ['otel-raw/', 'cwmetrics-raw/'].map((prefix) => ({
        Event: 's3:ObjectCreated:*',
        Queue: { 'Fn::GetAtt': ['RawIngestQueue', 'Arn'] },
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } },
      })),
    );
    expect(propsOf(t, 'RawIngestBucket').LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'cardinal-otel-raw-expire', Status: 'Enabled', ExpirationInDays: { Ref: 'RawBucketLifecycleDays' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    });
  });

  it('redelivers a message after 90 s, five times at most, then parks it for 14 days', () => {
    expect(propsOf(t, 'RawIngestQueue')).toMatchObject({
      VisibilityTimeout: 90,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['RawIngestDlq', 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(propsOf(t, 'RawIngestDlq')).toMatchObject({ MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
  });

  it('names the bucket the same way in the bucket and in the queue policy, with the suffix when given', () => {
    const name = (values: Record<string, string>) => readWith(t, values).value(propsOf(t, 'RawIngestBucket').BucketName as Expr);
    expect(name({ RawBucketName: 'acme-raw' })).toBe('acme-raw');
    expect(JSON.stringify(propsOf(t, 'RawIngestQueuePolicy'))).toContain(JSON.stringify(propsOf(t, 'RawIngestBucket').BucketName));
    expect(propsOf(t, 'RawIngestBucket').BucketName).toEqual({
      'Fn::If': [
        'UseDefaultBucketName',
        {
          'Fn::If': [
            'HasNameSuffix',
            { 'Fn::Sub': 'cardinal-otel-raw-${AWS::AccountId}-${AWS::Region}-${NameSuffix}' },
            { 'Fn::Sub': 'cardinal-otel-raw-${AWS::AccountId}-${AWS::Region}' },
          ],
        },
        { Ref: 'RawBucketName' },
      ],
    });
  });
});

describe('satellite-services', () => {
  const t = templateOf('satellite-services');
  const container = (propsOf(t, 'OtelGrpcTaskDef').ContainerDefinitions as { Environment: { Name: string; Value: unknown }[]; Command: string[] }[])[0];
  const env = Object.fromEntries((container?.Environment ?? []).map((e) => [e.Name, e.Value]));

  it('runs the collector with the built-in configuration unless one is given, named after its stack', () => {
    expect(container?.Command).toEqual(['/app/bin/run-with-env-config']);
    expect(env).toMatchObject({
      LRDB_S3_BUCKET: { Ref: 'RawBucketName' },
      LRDB_S3_REGION: { Ref: 'AWS::Region' },
      ORG: { Ref: 'OrganizationId' },
      CHQ_COLLECTOR_CONFIG_YAML: { 'Fn::If': ['HasOtelConfigOverride', { Ref: 'OtelConfigYaml' }, COLLECTOR_CONFIG_YAML] },
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=otel-gateway',
    });
    // Not a constant: the name differs per stack (it was "lakerunner" before upstream's PR #169).
    expect(readWith(t, {}).value(env.COLLECTOR as Expr)).toBe(UNKNOWN);
    expect(env.COLLECTOR).toEqual({
      'Fn::Sub': ['a${Id}', { Id: { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] } }],
    });
  });

  it('ships a built-in configuration with OTLP in, the three signals to the raw bucket and the service graph', () => {
    const config = parse(COLLECTOR_CONFIG_YAML) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { s3uploader: Record<string, unknown>; marshaler: string }>;
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    };
    expect(otelConfigShape.safeParse(config).success).toBe(true);
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(Object.keys(config.exporters)).toEqual(['awss3/logs', 'awss3/metrics', 'awss3/traces']);
    for (const exporter of Object.values(config.exporters)) {
      expect(exporter).toEqual({
        s3uploader: {
          region: '${env:LRDB_S3_REGION}',
          s3_bucket: '${env:LRDB_S3_BUCKET}',
          s3_prefix: 'otel-raw/${env:ORG}/${env:COLLECTOR}',
          s3_force_path_style: true,
          s3_partition_format: 'year=%Y/month=%m/day=%d/hour=%H/minute=%M',
          compression: 'gzip',
        },
        marshaler: 'otlp_proto',
      });
    }
    expect(config.service.pipelines.traces?.exporters).toEqual(['awss3/traces', 'service_graph']);
    expect(config.service.pipelines['metrics/servicegraph']?.receivers).toEqual(['service_graph']);
  });

  it('forwards /v1/* on its 4318 listener to the collector, health-checked on 13133', () => {
    expect(propsOf(t, 'OtelGrpcListenerRule')).toMatchObject({ ListenerArn: { Ref: 'OtelHttpListener' }, Priority: 300 });
    expect(propsOf(t, 'OtelGrpcTargetGroup')).toMatchObject({ Port: 4318, HealthCheckPath: '/', HealthCheckPort: '13133', TargetType: 'ip' });
    expect(resourceOf(t, 'CollectorService').DependsOn).toEqual(['OtelGrpcListenerRule']);
    expect(propsOf(t, 'CollectorService')).toMatchObject({ Cluster: { Ref: 'EcsClusterArn' }, DesiredCount: { Ref: 'OtelReplicas' }, CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }] });
    expect(t.Outputs?.CollectorEndpoint?.Value).toEqual({ 'Fn::Sub': 'http://${Alb.DNSName}:4318' });
  });

  it('logs to /cardinal/otel-grpc, suffixed when a suffix is given', () => {
    expect(readWith(t, { NameSuffix: 'team-b' }).value(propsOf(t, 'OtelGrpcLogGroup').LogGroupName as Expr)).toBe('/cardinal/otel-grpc-team-b');
    expect(readWith(t, {}).value(propsOf(t, 'OtelGrpcLogGroup').LogGroupName as Expr)).toBe('/cardinal/otel-grpc');
  });
});

describe('satellite-cwmetrics', () => {
  const t = templateOf('cwmetrics');

  it('streams JSON metrics through Firehose into cwmetrics-raw/<org>/<account>/, errors outside the notified prefixes', () => {
    expect(propsOf(t, 'CwmetricsStream')).toMatchObject({ OutputFormat: 'json', ExcludeFilters: { 'Fn::If': ['HasExcludeNamespace', [{ Namespace: { Ref: 'ExcludeNamespace' } }], { Ref: 'AWS::NoValue' }] } });
    expect((propsOf(t, 'CwmetricsDeliveryStream').ExtendedS3DestinationConfiguration as Record<string, unknown>)).toMatchObject({
      BucketARN: { 'Fn::Sub': ['arn:${AWS::Partition}:s3:::${Name}', { Name: { Ref: 'RawBucketName' } }] },
      Prefix: { 'Fn::Sub': 'cwmetrics-raw/${OrganizationId}/${AWS::AccountId}/!{timestamp:yyyy/MM/dd/HH}/' },
      ErrorOutputPrefix: 'cwmetrics-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
      CompressionFormat: 'GZIP',
      BufferingHints: { IntervalInSeconds: { Ref: 'FirehoseBufferSeconds' }, SizeInMBs: { Ref: 'FirehoseBufferSizeMB' } },
      CloudWatchLoggingOptions: { Enabled: true, LogGroupName: { Ref: 'FirehoseLogGroup' }, LogStreamName: 's3-delivery' },
    });
    expect(propsOf(t, 'FirehoseLogGroup').RetentionInDays).toBe(7);
  });
});

describe('the services root', () => {
  const t = templateOf('services');

  it('has upstream\'s conditions', () => {
    const reader = readWith(t, { SelfTelemetryEndpoint: 'http://collector:4318', PublicDnsName: 'lakerunner.example.com' });
    expect(['DeployMaestroEnabled', 'SelfTelemetryOn', 'PublicDnsNameSet', 'AlbIsInternetFacing'].map((c) => reader.condition(c))).toEqual([true, true, true, false]);
    const off = readWith(t, { DeployMaestro: 'No', AlbScheme: 'internet-facing' });
    expect([off.condition('DeployMaestroEnabled'), off.condition('SelfTelemetryOn'), off.condition('AlbIsInternetFacing')]).toEqual([false, false, true]);
  });

  it('owns the Cloud Map namespace on the VPC and publishes the query API at the public host', () => {
    expect(propsOf(t, 'ServiceNamespace')).toMatchObject({ Name: { Ref: 'ServiceNamespaceName' }, Vpc: { Ref: 'VpcId' } });
    expect(readWith(t, { PublicDnsName: 'lakerunner.example.com' }).value(t.Outputs?.QueryApiUrl?.Value)).toBe('https://lakerunner.example.com/api/v1/query/');
  });

  it('refuses an internet-facing load balancer without public subnets, Maestro without the admin hash, and PEMs without their key', () => {
    const services = CURRENT_STACKS.find((s) => s.id === 'services');
    expect(Object.keys(t.Rules ?? {})).toEqual(['InternetFacingNeedsPublicSubnets', 'MaestroNeedsAdminPasswordHash', 'CertificateNeedsPrivateKey']);
    const check = (id: string, values: Record<string, string>) => {
      const rule = services?.rules.find((r) => r.id === id);
      return rule && checkRule(rule, values);
    };
    expect(check('InternetFacingNeedsPublicSubnets', { AlbScheme: 'internet-facing', PublicSubnets: '' })).toMatch(/needs public subnets/);
    expect(check('InternetFacingNeedsPublicSubnets', { AlbScheme: 'internal', PublicSubnets: '' })).toBeUndefined();
    expect(check('MaestroNeedsAdminPasswordHash', { DeployMaestro: 'Yes', DexAdminPasswordHash: '' })).toMatch(/password hash/);
    expect(check('MaestroNeedsAdminPasswordHash', { DeployMaestro: 'No', DexAdminPasswordHash: '' })).toBeUndefined();
    expect(check('CertificateNeedsPrivateKey', { CertificateBody: 'PEM', CertificatePrivateKey: '' })).toMatch(/private key/);
  });
});

describe('our proof-of-concept VPC and cluster', () => {
  const vpc = templateOf('vpc');
  const cluster = templateOf('cluster');

  it('spreads a public and a private subnet over two Availability Zones, or three', () => {
    const subnets = (values: Record<string, string>) => readWith(vpc, values).resources().filter(([, r]) => r.Type === 'AWS::EC2::Subnet').map(([id]) => id);
    expect(subnets({})).toEqual(['PublicSubnet1', 'PrivateSubnet1', 'PublicSubnet2', 'PrivateSubnet2']);
    expect(subnets({ AzCount: '3' })).toHaveLength(6);
    expect(vpc.Outputs?.PrivateSubnetsCsv?.Value).toEqual({
      'Fn::If': [
        'ThreeAzs',
        { 'Fn::Join': [',', [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }, { Ref: 'PrivateSubnet3' }]] },
        { 'Fn::Join': [',', [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }]] },
      ],
    });
    const azs = ['PrivateSubnet1', 'PrivateSubnet2', 'PrivateSubnet3'].map((id) => (propsOf(vpc, id).AvailabilityZone as { 'Fn::Select': [number] })['Fn::Select'][0]);
    expect(azs).toEqual([0, 1, 2]);
  });

  it('routes the private subnets out through one NAT gateway and S3 through a gateway endpoint', () => {
    expect(propsOf(vpc, 'PrivateDefaultRoute')).toEqual({ RouteTableId: { Ref: 'PrivateRouteTable' }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: { Ref: 'NatGateway' } });
    expect(propsOf(vpc, 'NatGateway').SubnetId).toEqual({ Ref: 'PublicSubnet1' });
    expect(propsOf(vpc, 'S3GatewayEndpoint')).toMatchObject({ VpcEndpointType: 'Gateway', RouteTableIds: [{ Ref: 'PrivateRouteTable' }] });
    expect(resourcesOfType(vpc, 'AWS::EC2::NatGateway')).toHaveLength(1);
  });

  it('associates FARGATE (which every service asks for) and FARGATE_SPOT with the cluster', () => {
    expect(propsOf(cluster, 'Cluster')).toMatchObject({
      CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      ClusterSettings: [{ Name: 'containerInsights', Value: { Ref: 'ContainerInsights' } }],
    });
    expect(Object.keys(cluster.Outputs ?? {})).toEqual(['ClusterName', 'ClusterArn']);
  });
});

describe('deletion and replacement', () => {
  const STATEFUL = ['AWS::S3::Bucket', 'AWS::SecretsManager::Secret', 'AWS::RDS::DBInstance', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::CloudFormation::Stack'];
  const policies = FILES.flatMap((file) =>
    Object.entries(file.template.Resources)
      .filter(([, r]) => STATEFUL.includes(r.Type))
      .map(([id, r]) => [`${file.path.replace(/\.yaml$/, '')} ${id}`, r.DeletionPolicy, r.UpdateReplacePolicy] as const),
  );

  it('states what happens to every stateful resource: the data kept, the rest deleted', () => {
    const kept = policies.filter(([, deletion]) => deletion !== 'Delete').map(([name, deletion, replace]) => `${name}: ${deletion}/${replace}`);
    expect(kept).toEqual([
      'cardinal-lakerunner-infra-base CookedBucket: Retain/Retain',
      'cardinal-lakerunner-infra-base LicenseSecret: Retain/Retain',
      'cardinal-lakerunner-infra-base AdminKeySecret: Retain/Retain',
      'cardinal-lakerunner-infra-rds DBMasterSecret: Retain/Retain',
      'cardinal-lakerunner-infra-rds DBInstance: Snapshot/Snapshot',
    ]);
    for (const [name, deletion, replace] of policies) expect([deletion, replace], name).not.toContain(undefined);
    for (const [name, deletion, replace] of policies) if (deletion === 'Delete') expect(replace, name).toBe('Delete');
  });

  it('deletes the raw bucket with its satellite (raw data is transient)', () => {
    expect(policies.find(([name]) => name === 'cardinal-satellite-infra-base RawIngestBucket')?.slice(1)).toEqual(['Delete', 'Delete']);
  });
});

describe('stack metadata', () => {
  it.each(CURRENT_STACKS.map((s) => [s.id, s] as const))('%s says what it is for and what deleting it loses', (_id: CurrentStackId, stack) => {
    expect(stack.title.trim()).not.toBe('');
    expect(stack.purpose).toMatch(/^\S+(\s+\S+){6,}\.$/);
    expect(stack.lossOnDelete).toMatch(/\.$/);
    expect(stack.aliases).toEqual([]);
  });
});
