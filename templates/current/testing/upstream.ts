// Test fixture: upstream's v1.7.5 templates as the fact sheet (shared/reference/lakerunner-current.md,
// §2) records them, transcribed by hand: top-level parameters with type, default, constraints and
// NoEcho; parameter groups; condition, resource and output names; the children's parameter names.
// The builders must keep every one of these (they may add more).

export interface UpstreamParameter {
  type: string;
  /** undefined: no default, the parameter is required. */
  default?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  noEcho?: true;
  minLength?: number;
  minValue?: number;
  maxValue?: number;
}

export interface UpstreamTemplate {
  parameters?: Record<string, UpstreamParameter>;
  /** Children: parameter names only (their constraints are not part of the contract). */
  parameterNames?: string[];
  groups: Record<string, string[]>;
  conditions: string[];
  resources: Record<string, string>;
  outputs: string[];
}

const str = (def?: string, extra: Omit<UpstreamParameter, 'type' | 'default'> = {}): UpstreamParameter => ({ type: 'String', ...(def === undefined ? {} : { default: def }), ...extra });
const num = (def: string, extra: Omit<UpstreamParameter, 'type' | 'default'> = {}): UpstreamParameter => ({ type: 'Number', default: def, ...extra });
const VPC: UpstreamParameter = { type: 'AWS::EC2::VPC::Id' };
const SG: UpstreamParameter = { type: 'AWS::EC2::SecurityGroup::Id' };
const SCHEME = str('internal', { allowedValues: ['internal', 'internet-facing'] });
const BOOL_FALSE = str('false', { allowedValues: ['false', 'true'] });
const CIDR_OR_EMPTY = '^$|^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$';
const BUCKET = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';
const BUCKET_OR_EMPTY = `^$|${BUCKET}`;
const SUFFIX = '^$|^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$';
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const LAKERUNNER = 'public.ecr.aws/cardinalhq.io/lakerunner:v1.81.0@sha256:ec07934e1fcd7e900bb308a9713660742d377e4da047ea7e95affb12f6707018';
const MAESTRO = 'public.ecr.aws/cardinalhq.io/maestro:v1.94.1@sha256:f28b1de681f26e23d174fa65b3a55152cd5c067db1215f89bf0ce9fbd2278edc';
const DEX = 'public.ecr.aws/cardinalhq.io/dex-customization:v0.5.0@sha256:3fd7766b7a089948bfbe504ea4b23671b2257e2fed0247ac638c9902aca4aebd';
const DB_INIT = 'public.ecr.aws/docker/library/postgres:18-alpine@sha256:96d56f7f57c6aacd1fcb908bc83b345ec5f83231ee486dd66a1baadce274db88';
const OTEL = 'public.ecr.aws/cardinalhq.io/cardinalhq-otel-collector:v1.10.0@sha256:ad9d6459d2d231a4ea0b709347587e4c3dc43eb82e169e915305d9ddae73540c';

const TIERS = ['Migration', 'Query', 'Process', 'Control', 'Maestro'];
const SG_OF_TIERS = TIERS.map((t) => `${t}SecurityGroupId`);
const ROLE_OF_TIERS = TIERS.map((t) => `${t}RoleArn`);
const each = (keys: string[], value: UpstreamParameter) => Object.fromEntries(keys.map((k) => [k, value]));

/** Published top-level templates, by our stack id. */
export const UPSTREAM: Record<string, UpstreamTemplate> = {
  'infra-base': {
    parameters: {
      VpcId: VPC,
      AlbAllowedCidr1: str('10.0.0.0/8', { allowedPattern: CIDR_OR_EMPTY }),
      AlbAllowedCidr2: str('172.16.0.0/12', { allowedPattern: CIDR_OR_EMPTY }),
      AlbAllowedCidr3: str('192.168.0.0/16', { allowedPattern: CIDR_OR_EMPTY }),
      AlbScheme: SCHEME,
      ClusterArn: str(),
      CookedBucketName: str('', { allowedPattern: BUCKET_OR_EMPTY }),
      ConfigureBucketPublicAccessBlock: BOOL_FALSE,
      LicenseSecretName: str('cardinal-license', { minLength: 1 }),
      AdminKeySecretName: str('cardinal-admin-key', { minLength: 1 }),
      LicenseData: str('', { noEcho: true }),
      ExecutionRoleExtraPolicyArns: str(''),
    },
    groups: {
      Networking: ['VpcId'],
      'ALB ingress': ['AlbAllowedCidr1', 'AlbAllowedCidr2', 'AlbAllowedCidr3', 'AlbScheme'],
      ECS: ['ClusterArn'],
      'Cooked storage': ['CookedBucketName'],
      License: ['LicenseData'],
      'Names (advanced)': ['LicenseSecretName', 'AdminKeySecretName'],
    },
    conditions: ['UseDefaultCookedBucketName', 'AddCookedBucketPublicAccessBlock', 'HasAlbCidr1', 'HasAlbCidr2', 'HasAlbCidr3', 'AlbIsInternetFacing', 'HasExecutionRoleExtraPolicies'],
    resources: {
      AlbSecurityGroup: 'AWS::EC2::SecurityGroup',
      ...Object.fromEntries(
        [443, 9443, 4318].flatMap((port) =>
          ['1', '2', '3', 'Internet'].map((from) => [`AlbIngress${port}From${from}`, 'AWS::EC2::SecurityGroupIngress']),
        ),
      ),
      ...Object.fromEntries(TIERS.map((t) => [`${t}SecurityGroup`, 'AWS::EC2::SecurityGroup'])),
      ...Object.fromEntries(
        [
          'QueryFromAlb',
          'QueryHealthFromAlb',
          'QueryWorkerFromQuery',
          'QueryWorkerArtifactFromQuery',
          'ControlAdminApiFromAlb',
          'ControlHealthFromAlb',
          'QueryFromMaestro',
          'ControlAdminApiFromMaestro',
          'MaestroUiFromAlb',
          'MaestroDexFromAlb',
        ].map((id) => [id, 'AWS::EC2::SecurityGroupIngress']),
      ),
      ExecutionRole: 'AWS::IAM::Role',
      ...Object.fromEntries(TIERS.map((t) => [`${t}Role`, 'AWS::IAM::Role'])),
      CookedBucket: 'AWS::S3::Bucket',
      LicenseSecret: 'AWS::SecretsManager::Secret',
      AdminKeySecret: 'AWS::SecretsManager::Secret',
    },
    outputs: ['AlbSecurityGroupId', ...SG_OF_TIERS, 'ExecutionRoleArn', ...ROLE_OF_TIERS, 'CookedBucketName', 'LicenseSecretArn', 'AdminKeySecretArn'],
  },
  'infra-rds': {
    parameters: {
      VpcId: VPC,
      PrivateSubnetsCsv: str(),
      DBEngineVersion: str('18.4'),
      DBInstanceClass: str('db.r7g.large'),
      DBAllocatedStorage: num('100', { minValue: 20 }),
      ...each(SG_OF_TIERS, SG),
    },
    groups: { Networking: ['VpcId', 'PrivateSubnetsCsv'], 'DB Sizing': ['DBEngineVersion', 'DBInstanceClass', 'DBAllocatedStorage'], 'DB Clients': SG_OF_TIERS },
    conditions: [],
    resources: {
      RdsSecurityGroup: 'AWS::EC2::SecurityGroup',
      ...Object.fromEntries(TIERS.map((t) => [`Rds5432From${t}`, 'AWS::EC2::SecurityGroupIngress'])),
      DBSubnetGroup: 'AWS::RDS::DBSubnetGroup',
      DBMasterSecret: 'AWS::SecretsManager::Secret',
      DBInstance: 'AWS::RDS::DBInstance',
      DBMasterSecretAttachment: 'AWS::SecretsManager::SecretTargetAttachment',
    },
    outputs: ['DbEndpoint', 'DbPort', 'DbName', 'DbMasterSecretArn', 'RdsSecurityGroupId'],
  },
  'satellite-infra-base': {
    parameters: {
      LakerunnerPrincipal: str(undefined, { allowedPattern: '^arn:aws[a-zA-Z-]*:iam::\\d{12}:(root|role/.+)$' }),
      ExternalId: str(''),
      RawBucketName: str('', { allowedPattern: BUCKET_OR_EMPTY }),
      RawBucketLifecycleDays: num('7', { minValue: 1 }),
      ConfigureBucketPublicAccessBlock: BOOL_FALSE,
      NameSuffix: str('', { allowedPattern: SUFFIX }),
    },
    groups: {},
    conditions: ['UseDefaultBucketName', 'HasNameSuffix', 'HasExternalId', 'AddRawBucketPublicAccessBlock'],
    resources: {
      RawIngestDlq: 'AWS::SQS::Queue',
      RawIngestQueue: 'AWS::SQS::Queue',
      RawIngestQueuePolicy: 'AWS::SQS::QueuePolicy',
      RawIngestBucket: 'AWS::S3::Bucket',
      LakerunnerAccessRole: 'AWS::IAM::Role',
    },
    outputs: ['RawBucketName', 'RawQueueUrl', 'RawQueueArn', 'RawDlqArn', 'LakerunnerAccessRoleArn', 'Region'],
  },
  'satellite-services': {
    parameters: {
      RawBucketName: str(undefined, { allowedPattern: BUCKET }),
      OrganizationId: str(undefined, { allowedPattern: UUID }),
      VpcId: VPC,
      AlbSubnetsCsv: str(),
      TaskSubnetsCsv: str(),
      EcsClusterArn: str(),
      AlbScheme: SCHEME,
      IngestSourceCidr: str('10.0.0.0/8', { allowedPattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$' }),
      OtelReplicas: num('1'),
      OtelCpu: str('1024'),
      OtelMemory: str('2048'),
      NameSuffix: str('', { allowedPattern: SUFFIX }),
      OtelConfigYaml: str(''),
      OtelImage: str(OTEL),
      ExecutionRoleExtraPolicyArns: str(''),
    },
    groups: {
      Inputs: ['RawBucketName', 'OrganizationId', 'EcsClusterArn'],
      Networking: ['VpcId', 'AlbSubnetsCsv', 'TaskSubnetsCsv', 'AlbScheme', 'IngestSourceCidr'],
      Tunables: ['OtelReplicas', 'OtelCpu', 'OtelMemory', 'OtelConfigYaml', 'NameSuffix'],
      'Image overrides': ['OtelImage'],
    },
    conditions: ['HasOtelConfigOverride', 'HasNameSuffix', 'HasExecutionRoleExtraPolicies', 'AlbIsInternetFacing'],
    resources: {
      CollectorExecutionRole: 'AWS::IAM::Role',
      CollectorTaskRole: 'AWS::IAM::Role',
      AlbSecurityGroup: 'AWS::EC2::SecurityGroup',
      AlbIngressInternetFacing: 'AWS::EC2::SecurityGroupIngress',
      TaskSecurityGroup: 'AWS::EC2::SecurityGroup',
      Alb: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      OtelHttpListener: 'AWS::ElasticLoadBalancingV2::Listener',
      OtelGrpcTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      OtelGrpcListenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      OtelGrpcLogGroup: 'AWS::Logs::LogGroup',
      OtelGrpcTaskDef: 'AWS::ECS::TaskDefinition',
      CollectorService: 'AWS::ECS::Service',
    },
    outputs: ['CollectorAlbDnsName', 'CollectorEndpoint', 'CollectorServiceName', 'CollectorTaskRoleArn'],
  },
  cwmetrics: {
    parameters: {
      RawBucketName: str(undefined, { allowedPattern: BUCKET }),
      OrganizationId: str(undefined, { allowedPattern: UUID }),
      ExcludeNamespace: str('AWS/Usage'),
      FirehoseBufferSeconds: num('300', { minValue: 60, maxValue: 900 }),
      FirehoseBufferSizeMB: num('64', { minValue: 1, maxValue: 128 }),
      NameSuffix: str('', { allowedPattern: SUFFIX }),
    },
    groups: { Inputs: ['RawBucketName', 'OrganizationId'], Stream: ['ExcludeNamespace', 'FirehoseBufferSeconds', 'FirehoseBufferSizeMB'], Naming: ['NameSuffix'] },
    conditions: ['HasNameSuffix', 'HasExcludeNamespace'],
    resources: {
      FirehoseLogGroup: 'AWS::Logs::LogGroup',
      FirehoseDeliveryRole: 'AWS::IAM::Role',
      CwmetricsDeliveryStream: 'AWS::KinesisFirehose::DeliveryStream',
      MetricStreamRole: 'AWS::IAM::Role',
      CwmetricsStream: 'AWS::CloudWatch::MetricStream',
    },
    outputs: ['DeliveryStreamArn', 'RawPrefix', 'ErrorPrefix', 'FirehoseLogGroupName'],
  },
  services: {
    parameters: {
      VpcId: VPC,
      PrivateSubnets: { type: 'List<AWS::EC2::Subnet::Id>' },
      AlbScheme: SCHEME,
      PublicSubnets: { type: 'CommaDelimitedList', default: '' },
      CertificateArn: str(''),
      PublicDnsName: str(''),
      ServiceNamespaceName: str('cardinal.local', { allowedPattern: '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$' }),
      DbEndpoint: str(),
      DbPort: str('5432'),
      DbName: str('lakerunner'),
      DbMasterSecretArn: str(),
      CookedBucketName: str(),
      QueueUrl: str(''),
      QueueRoleArn: str(''),
      LicenseSecretArn: str(),
      AdminKeySecretArn: str(),
      ClusterName: str(),
      ClusterArn: str(),
      AlbSecurityGroupId: SG,
      ...each(SG_OF_TIERS, SG),
      ExecutionRoleArn: str(),
      ...each(ROLE_OF_TIERS, str()),
      CertificateBody: str('', { noEcho: true }),
      CertificatePrivateKey: str('', { noEcho: true }),
      CertificateChain: str('', { noEcho: true }),
      DexAdminEmail: str('admin@cardinal.local'),
      DexAdminPasswordHash: str('', { noEcho: true }),
      DexExtraUsers: str('', { noEcho: true }),
      OidcSuperadminEmails: str('admin@cardinal.local'),
      OrganizationId: str(undefined, { allowedPattern: UUID }),
      OrgName: str('My Organization'),
      TemplateBaseUrl: str('https://cardinal-cfn-us-east-1.s3.us-east-1.amazonaws.com/lakerunner/v1.7.5/cardinal-lakerunner/', { allowedPattern: '^https://.+/$' }),
      QueryApiReplicas: num('2', { minValue: 1 }),
      QueryApiCpu: str('1024'),
      QueryApiMemory: str('2048'),
      QueryWorkerReplicas: num('4', { minValue: 1 }),
      QueryWorkerCpu: str('4096'),
      QueryWorkerMemory: str('8192'),
      ProcessLogsReplicas: num('10', { minValue: 1 }),
      ProcessLogsMemory: str('4096'),
      ProcessMetricsReplicas: num('10', { minValue: 1 }),
      ProcessMetricsMemory: str('4096'),
      ProcessTracesReplicas: num('10', { minValue: 1 }),
      ProcessTracesMemory: str('2048'),
      PubsubSqsReplicas: num('1', { minValue: 1 }),
      MaestroTaskCpu: str('1024'),
      MaestroTaskMemory: str('2048'),
      DexClientId: str('maestro-ui'),
      McpMigrateRecoverFromDirty: str('false', { allowedValues: ['true', 'false'] }),
      DeployMaestro: str('Yes', { allowedValues: ['Yes', 'No'] }),
      SelfTelemetryEndpoint: str(''),
      LakerunnerImage: str(LAKERUNNER),
      MaestroImage: str(MAESTRO),
      DexImage: str(DEX),
      DbInitImage: str(DB_INIT),
    },
    groups: {
      Networking: [
        'VpcId',
        'PrivateSubnets',
        'AlbScheme',
        'PublicSubnets',
        'ServiceNamespaceName',
        'PublicDnsName',
        'CertificateArn',
        'CertificateBody',
        'CertificatePrivateKey',
        'CertificateChain',
      ],
      'Infrastructure-stack outputs': [
        'DbEndpoint',
        'DbPort',
        'DbName',
        'DbMasterSecretArn',
        'CookedBucketName',
        'QueueUrl',
        'QueueRoleArn',
        'LicenseSecretArn',
        'AdminKeySecretArn',
        'ClusterName',
        'ClusterArn',
        'SelfTelemetryEndpoint',
      ],
      'Security-tier inputs': ['AlbSecurityGroupId', ...SG_OF_TIERS, 'ExecutionRoleArn', ...ROLE_OF_TIERS],
      Sizing: [
        'QueryApiReplicas',
        'QueryApiCpu',
        'QueryApiMemory',
        'QueryWorkerReplicas',
        'QueryWorkerCpu',
        'QueryWorkerMemory',
        'ProcessLogsReplicas',
        'ProcessLogsMemory',
        'ProcessMetricsReplicas',
        'ProcessMetricsMemory',
        'ProcessTracesReplicas',
        'ProcessTracesMemory',
        'PubsubSqsReplicas',
        'MaestroTaskCpu',
        'MaestroTaskMemory',
        'DexClientId',
        'McpMigrateRecoverFromDirty',
      ],
      Images: ['LakerunnerImage', 'MaestroImage', 'DexImage', 'DbInitImage'],
      Advanced: ['DeployMaestro', 'DexAdminEmail', 'DexAdminPasswordHash', 'DexExtraUsers', 'OidcSuperadminEmails', 'OrganizationId', 'OrgName', 'TemplateBaseUrl'],
    },
    conditions: ['DeployMaestroEnabled', 'SelfTelemetryOn', 'PublicDnsNameSet', 'AlbIsInternetFacing'],
    resources: {
      ServiceNamespace: 'AWS::ServiceDiscovery::PrivateDnsNamespace',
      ...Object.fromEntries(['Cert', 'Alb', 'Migration', 'Query', 'Process', 'Control', 'Maestro'].map((id) => [id, 'AWS::CloudFormation::Stack'])),
    },
    outputs: ['InstallIdShort', 'InstallIdLong', 'AlbDnsName', 'QueryApiUrl', 'MaestroUrl'],
  },
};

const IDS = ['InstallIdShort', 'InstallIdLong'];
const TIER_COMMON = [...IDS, 'ClusterArn', 'ClusterName', 'TaskSecurityGroupId', 'ExecutionRoleArn', 'TaskRoleArn', 'PrivateSubnetsCsv'];
const TIER_DATA = ['DbEndpoint', 'DbPort', 'DbSecretArn', 'BucketName', 'LicenseSecretArn', 'SelfTelemetryEndpoint', 'SelfTelemetryEnabled', 'MigrationComplete'];
const WORKERS = ['ProcessLogs', 'ProcessMetrics', 'ProcessTraces'];

/** The services root's children, by ChildMeta.id (§2.9–2.15). */
export const UPSTREAM_CHILDREN: Record<string, UpstreamTemplate> = {
  cert: {
    parameterNames: [...IDS, 'CertificateArn', 'CertificateBody', 'CertificatePrivateKey', 'CertificateChain'],
    groups: {},
    conditions: ['CreateServerCert', 'HasCertChain'],
    resources: { ServerCertificate: 'AWS::IAM::ServerCertificate' },
    outputs: ['EffectiveCertificateArn'],
  },
  alb: {
    parameterNames: ['VpcId', 'AlbSubnetsCsv', 'Scheme', 'AlbSgId', 'CertificateArn', ...IDS],
    groups: {},
    conditions: [],
    resources: {
      Alb: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      HttpsListener: 'AWS::ElasticLoadBalancingV2::Listener',
      AdminHttpsListener: 'AWS::ElasticLoadBalancingV2::Listener',
      OtelHttpListener: 'AWS::ElasticLoadBalancingV2::Listener',
    },
    outputs: ['AlbArn', 'AlbDnsName', 'HttpsListenerArn', 'AdminHttpsListenerArn', 'OtelHttpListenerArn'],
  },
  migration: {
    parameterNames: [...TIER_COMMON, 'DbEndpoint', 'DbPort', 'DbName', 'DbSecretArn', 'LakerunnerImage', 'DbInitImage'],
    groups: {},
    conditions: [],
    resources: { MigratorLogGroup: 'AWS::Logs::LogGroup', MigratorTaskDef: 'AWS::ECS::TaskDefinition', MigratorService: 'AWS::ECS::Service' },
    outputs: ['MigrationServiceArn'],
  },
  'services-query': {
    parameterNames: [
      ...TIER_COMMON,
      'HttpsListenerArn',
      'VpcId',
      'ServiceNamespaceId',
      ...TIER_DATA,
      'LakerunnerImage',
      'QueryApiReplicas',
      'QueryApiCpu',
      'QueryApiMemory',
      'QueryWorkerReplicas',
      'QueryWorkerCpu',
      'QueryWorkerMemory',
    ],
    groups: {},
    conditions: [],
    resources: {
      QueryWorkerLogGroup: 'AWS::Logs::LogGroup',
      QueryWorkerTaskDef: 'AWS::ECS::TaskDefinition',
      QueryWorkerService: 'AWS::ECS::Service',
      QueryApiLogGroup: 'AWS::Logs::LogGroup',
      QueryApiTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      QueryApiListenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      QueryApiExtraListenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      QueryApiTaskDef: 'AWS::ECS::TaskDefinition',
      QueryApiDiscoveryService: 'AWS::ServiceDiscovery::Service',
      QueryApiService: 'AWS::ECS::Service',
    },
    outputs: ['QueryApiServiceName', 'QueryWorkerServiceName'],
  },
  'services-process': {
    parameterNames: [...TIER_COMMON, ...TIER_DATA, 'LakerunnerImage', 'QueueUrl', 'QueueRoleArn', ...WORKERS.flatMap((w) => [`${w}Replicas`, `${w}Memory`]), 'PubsubSqsReplicas'],
    groups: {},
    conditions: [],
    resources: {
      ...Object.fromEntries(
        WORKERS.flatMap((w) => [
          [`${w}LogGroup`, 'AWS::Logs::LogGroup'],
          [`${w}TaskDef`, 'AWS::ECS::TaskDefinition'],
          [`${w}Service`, 'AWS::ECS::Service'],
          [`${w}ScalableTarget`, 'AWS::ApplicationAutoScaling::ScalableTarget'],
          [`${w}CpuScalingPolicy`, 'AWS::ApplicationAutoScaling::ScalingPolicy'],
        ]),
      ),
      PubsubSqsLogGroup: 'AWS::Logs::LogGroup',
      PubsubSqsTaskDef: 'AWS::ECS::TaskDefinition',
      PubsubSqsService: 'AWS::ECS::Service',
    },
    outputs: ['ProcessLogsServiceName', 'ProcessMetricsServiceName', 'ProcessTracesServiceName', 'PubsubSqsServiceName'],
  },
  'services-control': {
    parameterNames: [
      ...TIER_COMMON,
      'DbEndpoint',
      'DbPort',
      'DbSecretArn',
      'HttpsListenerArn',
      'AdminHttpsListenerArn',
      'AdminApiKeySecretArn',
      'VpcId',
      'ServiceNamespaceName',
      'ServiceNamespaceId',
      'BucketName',
      'LicenseSecretArn',
      'SelfTelemetryEndpoint',
      'SelfTelemetryEnabled',
      'MigrationComplete',
      'LakerunnerImage',
    ],
    groups: {},
    conditions: [],
    resources: {
      AdminApiLogGroup: 'AWS::Logs::LogGroup',
      SweeperLogGroup: 'AWS::Logs::LogGroup',
      MonitoringLogGroup: 'AWS::Logs::LogGroup',
      AlertEvaluatorLogGroup: 'AWS::Logs::LogGroup',
      AdminApiTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      AdminApiHttpsListenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      AdminApiDiscoveryService: 'AWS::ServiceDiscovery::Service',
      ControlTaskDef: 'AWS::ECS::TaskDefinition',
      ControlService: 'AWS::ECS::Service',
    },
    outputs: ['ControlServiceName'],
  },
  maestro: {
    parameterNames: [
      ...IDS,
      'ClusterArn',
      'TaskSecurityGroupId',
      'ExecutionRoleArn',
      'TaskRoleArn',
      'PrivateSubnetsCsv',
      'VpcId',
      'HttpsListenerArn',
      'AlbDnsName',
      'ServiceNamespaceName',
      'BucketName',
      'DbEndpoint',
      'DbPort',
      'DbSecretArn',
      'LicenseSecretArn',
      'AdminApiKeySecretArn',
      'MigrationComplete',
      'MaestroImage',
      'DexImage',
      'DbInitImage',
      'MaestroTaskCpu',
      'MaestroTaskMemory',
      'DexClientId',
      'DexAdminEmail',
      'OidcSuperadminEmails',
      'OrganizationId',
      'OrgName',
      'McpMigrateRecoverFromDirty',
      'DexAdminPasswordHash',
      'DexExtraUsers',
    ],
    groups: {},
    conditions: [],
    resources: {
      MaestroDbInitLogGroup: 'AWS::Logs::LogGroup',
      MaestroLogGroup: 'AWS::Logs::LogGroup',
      MaestroDexLogGroup: 'AWS::Logs::LogGroup',
      MaestroTaskDef: 'AWS::ECS::TaskDefinition',
      MaestroHttpsTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      MaestroHttpsListenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      MaestroDexTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      MaestroDexListenerRule: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      MaestroService: 'AWS::ECS::Service',
    },
    outputs: ['MaestroUrl', 'DexUrl', 'MaestroServiceName'],
  },
};

/** Parameter counts the fact sheet's size table (§1.6) gives, as a check of the transcription. */
export const UPSTREAM_COUNTS: Record<string, { params: number; resources: number; outputs: number; conditions: number }> = {
  'infra-base': { params: 12, resources: 37, outputs: 15, conditions: 7 },
  'infra-rds': { params: 10, resources: 10, outputs: 5, conditions: 0 },
  services: { params: 63, resources: 8, outputs: 5, conditions: 4 },
  cert: { params: 6, resources: 1, outputs: 1, conditions: 2 },
  alb: { params: 7, resources: 4, outputs: 5, conditions: 0 },
  migration: { params: 14, resources: 3, outputs: 1, conditions: 0 },
  'services-query': { params: 26, resources: 10, outputs: 2, conditions: 0 },
  'services-process': { params: 26, resources: 18, outputs: 4, conditions: 0 },
  'services-control': { params: 23, resources: 9, outputs: 1, conditions: 0 },
  maestro: { params: 31, resources: 9, outputs: 3, conditions: 0 },
  'satellite-infra-base': { params: 6, resources: 5, outputs: 6, conditions: 4 },
  'satellite-services': { params: 15, resources: 12, outputs: 4, conditions: 4 },
  cwmetrics: { params: 6, resources: 5, outputs: 4, conditions: 2 },
};
