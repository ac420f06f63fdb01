// lakerunner-common: everything the Lakerunner stacks share. The encrypted PostgreSQL database and
// its secret, EFS with the scratch and Grafana access points, the ingest bucket feeding an SQS
// queue, the ECS cluster, the security groups, one ALB with the query API and Grafana listeners,
// and the API-key and storage-profile configuration. Later stacks import its exports.
import { and, condition, exported, getAtt, ifThen, join, lifecycle, noValue, not, equals, ref, select, sub, type Expr, type Resource } from '@/lib/cfn/template';
import { fromCommon, HTTP_PORT, httpsRedirectListener, listenerProtocol, listenerUrl } from './ecs';
import { allowPlainHttpParam, certificateParam, DEFAULT_COLLECTOR_NAME, DEFAULT_ORGANIZATION_ID, domainNameParam, plainHttpRule } from './shared';
import { defineStack } from './stack';

export const DB_NAME = 'lakerunner';
export const DB_USER = 'lakerunner';
export const DB_PORT = 5432;
/**
 * The default PostgreSQL version: the major version alone, so RDS creates the instance with its
 * current default minor and keeps it patched (automatic minor upgrades). RDS may therefore run a
 * newer minor than the parameter says; the value may only rise (the preview checks it against RDS).
 */
export const DB_ENGINE_VERSION = '17';
export const QUERY_API_PORT = 7101;
export const GRAFANA_PORT = 3000;
export const INGEST_PREFIXES = ['otel-raw/', 'logs-raw/', 'metrics-raw/'] as const;

/** Connection settings Lakerunner reads for its data database (LRDB) and config database (CONFIGDB), here one. */
export const databaseEnvironment = (prefix: 'LRDB' | 'CONFIGDB') => ({
  [`${prefix}_HOST`]: fromCommon('DbEndpoint'),
  [`${prefix}_PORT`]: fromCommon('DbPort'),
  [`${prefix}_DBNAME`]: DB_NAME,
  [`${prefix}_USER`]: DB_USER,
  [`${prefix}_SSLMODE`]: 'require',
});

/** Default API keys: the default organization with one key generated per install (never a published one). */
const DEFAULT_API_KEYS = [
  `- organization_id: ${DEFAULT_ORGANIZATION_ID}`,
  '  keys:',
  '    - "{{resolve:secretsmanager:${GeneratedApiKey}:SecretString:key}}"',
  '',
].join('\n');

const DEFAULT_STORAGE_PROFILES = [
  '- bucket: ${IngestBucket}',
  '  cloud_provider: aws',
  `  collector_name: ${DEFAULT_COLLECTOR_NAME}`,
  '  insecure_tls: false',
  '  instance_num: 1',
  `  organization_id: ${DEFAULT_ORGANIZATION_ID}`,
  '  region: ${AWS::Region}',
  '  use_path_style: true',
  '',
].join('\n');

const groupId = (sg: string) => getAtt(sg, 'GroupId');
const tcpFrom = (port: number, sourceSg: string, description: string) => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  SourceSecurityGroupId: groupId(sourceSg),
  Description: description,
});
const openTcp = (port: number, description: string) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: '0.0.0.0/0', Description: description });
/** Port 80 opens only with a certificate, for the listener that redirects to HTTPS. */
const openRedirect = () => ifThen('HasCertificate', openTcp(HTTP_PORT, 'HTTP, redirected to HTTPS'), noValue);

function securityGroups(): Record<string, Resource> {
  const group = (description: string, ingress: Expr[] = []): Resource => ({
    Type: 'AWS::EC2::SecurityGroup',
    Properties: { GroupDescription: description, VpcId: ref('VpcId'), ...(ingress.length ? { SecurityGroupIngress: ingress } : {}) },
  });
  const taskIngress = (port: number, source: string, description: string): Resource => ({
    Type: 'AWS::EC2::SecurityGroupIngress',
    Properties: { GroupId: groupId('TaskSecurityGroup'), ...tcpFrom(port, source, description) },
  });
  return {
    TaskSecurityGroup: group('Lakerunner ECS tasks'),
    AlbSecurityGroup: group('Lakerunner load balancer: query API and Grafana listeners', [
      openTcp(QUERY_API_PORT, 'Query API listener'),
      openTcp(GRAFANA_PORT, 'Grafana listener'),
      openRedirect(),
    ]),
    DbSecurityGroup: group('Lakerunner database: PostgreSQL from the tasks only', [tcpFrom(DB_PORT, 'TaskSecurityGroup', 'PostgreSQL from the tasks')]),
    EfsSecurityGroup: group('Lakerunner file system: NFS from the tasks only', [tcpFrom(2049, 'TaskSecurityGroup', 'NFS from the tasks')]),
    TaskFromAlbQueryApi: taskIngress(QUERY_API_PORT, 'AlbSecurityGroup', 'Query API from the load balancer'),
    TaskFromAlbGrafana: taskIngress(GRAFANA_PORT, 'AlbSecurityGroup', 'Grafana from the load balancer'),
    TaskFromTaskQueryWorker: taskIngress(QUERY_API_PORT, 'TaskSecurityGroup', 'Query workers from the query API'),
  };
}

function storage(): Record<string, Resource> {
  return {
    // Pending notifications only: the objects stay in the bucket.
    IngestQueue: {
      Type: 'AWS::SQS::Queue',
      ...lifecycle('Delete'),
      Properties: { MessageRetentionPeriod: 345600, SqsManagedSseEnabled: true },
    },
    IngestQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [ref('IngestQueue')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'BucketNotifications',
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
              Resource: getAtt('IngestQueue', 'Arn'),
              Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
            },
          ],
        },
      },
    },
    // S3 validates the queue notifications when it creates the bucket, so the policy must exist first.
    IngestBucket: {
      Type: 'AWS::S3::Bucket',
      DependsOn: 'IngestQueuePolicy',
      ...lifecycle('Retain'),
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'ExpireRawOtel', Status: 'Enabled', Prefix: 'otel-raw/', ExpirationInDays: 10 },
            { Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
          ],
        },
        NotificationConfiguration: {
          QueueConfigurations: INGEST_PREFIXES.map((prefix) => ({
            Event: 's3:ObjectCreated:*',
            Queue: getAtt('IngestQueue', 'Arn'),
            Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: prefix }] } },
          })),
        },
      },
    },
    IngestBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: ref('IngestBucket'),
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [getAtt('IngestBucket', 'Arn'), sub('${IngestBucket.Arn}/*')],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    // Grafana's dashboards and users live here: kept when the stack goes, and backed up daily by AWS Backup.
    FileSystem: {
      Type: 'AWS::EFS::FileSystem',
      ...lifecycle('Retain'),
      Properties: {
        Encrypted: true,
        BackupPolicy: { Status: 'ENABLED' },
        PerformanceMode: 'generalPurpose',
        ThroughputMode: 'elastic',
        FileSystemTags: [{ Key: 'Name', Value: sub('${AWS::StackName}-efs') }],
        // Replaces EFS's default of full access for any client that reaches a mount target: clients
        // must come with an IAM identity of this account allowed to mount, and over TLS.
        FileSystemPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'IamClientsOfThisAccount',
              Effect: 'Allow',
              Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
              Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
              Resource: '*',
              Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: '*',
              Resource: '*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    ...Object.fromEntries(
      [0, 1].map((index): [string, Resource] => [
        `MountTarget${index + 1}`,
        {
          Type: 'AWS::EFS::MountTarget',
          Properties: { FileSystemId: ref('FileSystem'), SubnetId: select(index, ref('PrivateSubnets')), SecurityGroups: [groupId('EfsSecurityGroup')] },
        },
      ]),
    ),
    ScratchAccessPoint: {
      Type: 'AWS::EFS::AccessPoint',
      Properties: {
        FileSystemId: ref('FileSystem'),
        RootDirectory: { Path: '/lakerunner-scratch', CreationInfo: { OwnerUid: '0', OwnerGid: '0', Permissions: '0755' } },
      },
    },
    // Grafana's image runs as uid 472; the access point makes every client act as that user.
    GrafanaAccessPoint: {
      Type: 'AWS::EFS::AccessPoint',
      Properties: {
        FileSystemId: ref('FileSystem'),
        PosixUser: { Uid: '472', Gid: '0' },
        RootDirectory: { Path: '/grafana', CreationInfo: { OwnerUid: '472', OwnerGid: '0', Permissions: '0755' } },
      },
    },
  };
}

function database(): Record<string, Resource> {
  return {
    // Kept with the database's final snapshot: restoring it needs this password.
    DbSecret: {
      Type: 'AWS::SecretsManager::Secret',
      ...lifecycle('Retain'),
      Properties: {
        Description: 'Lakerunner database master user',
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify({ username: DB_USER }),
          GenerateStringKey: 'password',
          PasswordLength: 32,
          ExcludePunctuation: true,
        },
      },
    },
    DbSubnetGroup: {
      Type: 'AWS::RDS::DBSubnetGroup',
      Properties: { DBSubnetGroupDescription: 'Lakerunner database subnets', SubnetIds: ref('PrivateSubnets') },
    },
    Database: {
      Type: 'AWS::RDS::DBInstance',
      ...lifecycle('Snapshot'),
      Properties: {
        Engine: 'postgres',
        EngineVersion: ref('DbEngineVersion'),
        // A teardown turns it off first, as a step of its own in the preview (beforeDelete below).
        DeletionProtection: ref('DbDeletionProtection'),
        // A new major version in DbEngineVersion is then an ordinary update (RDS refuses it otherwise).
        AllowMajorVersionUpgrade: true,
        DBInstanceClass: 'db.t4g.medium',
        AllocatedStorage: '100',
        StorageType: 'gp3',
        StorageEncrypted: true,
        DBName: DB_NAME,
        Port: String(DB_PORT),
        MasterUsername: DB_USER,
        MasterUserPassword: sub('{{resolve:secretsmanager:${DbSecret}:SecretString:password}}'),
        DBSubnetGroupName: ref('DbSubnetGroup'),
        VPCSecurityGroups: [groupId('DbSecurityGroup')],
        PubliclyAccessible: false,
        MultiAZ: false,
        BackupRetentionPeriod: 7,
        CopyTagsToSnapshot: true,
      },
    },
    DbSecretAttachment: {
      Type: 'AWS::SecretsManager::SecretTargetAttachment',
      Properties: { SecretId: ref('DbSecret'), TargetId: ref('Database'), TargetType: 'AWS::RDS::DBInstance' },
    },
  };
}

function loadBalancer(): Record<string, Resource> {
  const listener = (port: number, message: string): Resource => ({
    Type: 'AWS::ElasticLoadBalancingV2::Listener',
    Properties: {
      LoadBalancerArn: ref('LoadBalancer'),
      Port: port,
      ...listenerProtocol('HasCertificate', 'AlbCertificateArn'),
      DefaultActions: [
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: message } },
      ],
    },
  });
  return {
    LoadBalancer: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'application',
        Scheme: ref('AlbScheme'),
        // UsePublicSubnets, not IsInternetFacing: the Rule makes them the same for every accepted
        // value, and the public branch is then never taken with PublicSubnets empty (cfn-lint W1030).
        Subnets: ifThen('UsePublicSubnets', ref('PublicSubnets'), ref('PrivateSubnets')),
        SecurityGroups: [groupId('AlbSecurityGroup')],
        LoadBalancerAttributes: [{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }],
      },
    },
    QueryApiListener: listener(QUERY_API_PORT, 'Lakerunner query API is not deployed'),
    GrafanaListener: listener(GRAFANA_PORT, 'Grafana is not deployed'),
    // Browsers typing the domain name land on Grafana over HTTPS.
    HttpRedirectListener: httpsRedirectListener('HasCertificate', 'LoadBalancer', GRAFANA_PORT),
  };
}

function configuration(): Record<string, Resource> {
  return {
    GeneratedApiKey: {
      Type: 'AWS::SecretsManager::Secret',
      ...lifecycle('Delete'),
      Properties: {
        Description: 'Lakerunner API key generated for the default organization',
        GenerateSecretString: {
          SecretStringTemplate: '{}',
          GenerateStringKey: 'key',
          PasswordLength: 32,
          ExcludePunctuation: true,
          ExcludeUppercase: true,
        },
      },
    },
    ApiKeysSecret: {
      Type: 'AWS::SecretsManager::Secret',
      ...lifecycle('Delete'),
      Properties: {
        Description: 'Lakerunner API keys (YAML), injected into the tasks as API_KEYS_ENV',
        SecretString: ifThen('HasApiKeysOverride', ref('ApiKeysOverride'), sub(DEFAULT_API_KEYS)),
      },
    },
    StorageProfilesParameter: {
      Type: 'AWS::SSM::Parameter',
      Properties: {
        Type: 'String',
        Tier: 'Standard',
        Description: 'Lakerunner storage profiles (YAML), injected into the tasks as STORAGE_PROFILES_ENV',
        Value: ifThen('HasStorageProfilesOverride', ref('StorageProfilesOverride'), sub(DEFAULT_STORAGE_PROFILES)),
      },
    },
  };
}

const SUBNET_EXAMPLE = 'subnet-0abc1234def567890,subnet-0def5678abc123456';

const albUrl = (port: number) => listenerUrl('HasCertificate', { condition: 'HasDomainName', param: 'AlbDomainName' }, getAtt('LoadBalancer', 'DNSName'), port);

export const commonStack = defineStack({
  id: 'common',
  stem: 'lakerunner-common',
  aliases: [],
  title: 'Common infrastructure',
  purpose:
    'Creates what every Lakerunner stack shares: the PostgreSQL database, the file system, the ingest bucket and queue, the ECS cluster, the load balancer and the API-key and storage configuration.',
  inclusion: 'always',
  lossOnDelete:
    'The database is kept as a final snapshot (with its password secret), and the ingest bucket and the file system (Grafana\'s dashboards and users, /scratch) are kept with their data, still billed; the queue\'s pending notifications and the generated API key are deleted. Creating the stack again starts with a new, empty database and file system.',
  beforeDelete: { DbDeletionProtection: 'false' },
  versionFloors: [{ parameter: 'DbEngineVersion', logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance' }],
  needs: [],
  after: ['vpc'],
  inputs: {
    VpcId: { output: ['vpc', 'VpcId'] },
    PrivateSubnets: { output: ['vpc', 'PrivateSubnets'] },
    PublicSubnets: { output: ['vpc', 'PublicSubnets'] },
  },
  rules: [
    {
      id: 'InternetFacingNeedsPublicSubnets',
      when: { key: 'AlbScheme', equals: 'internet-facing' },
      then: { key: 'PublicSubnets', notEmpty: true },
      message: 'An internet-facing load balancer needs public subnets: list at least two, or choose the internal scheme.',
    },
    plainHttpRule({ scheme: 'AlbScheme', certificate: 'AlbCertificateArn', allow: 'AlbAllowPlainHttp' }, 'load balancer (the query API and Grafana)'),
    {
      id: 'CertificateNeedsDomainName',
      when: { key: 'AlbCertificateArn', notEmpty: true },
      then: { key: 'AlbDomainName', notEmpty: true },
      message: "A certificate covers a domain name, never the load balancer's own DNS name: give the domain name users reach the load balancer by.",
    },
  ],
  parameters: [
    {
      key: 'VpcId',
      type: 'AWS::EC2::VPC::Id',
      label: 'VPC',
      description: 'VPC that holds the database, the file system, the load balancer and the tasks.',
      group: 'Network',
      constraintDescription: 'VPC must be a VPC ID such as vpc-0abc1234def567890.',
    },
    {
      key: 'PrivateSubnets',
      type: 'List<AWS::EC2::Subnet::Id>',
      label: 'Private subnets',
      description:
        'At least two private subnets in different Availability Zones, with a route to the internet through NAT; the file system gets mount targets in the first two and the tasks run there.',
      group: 'Network',
      minItems: 2,
      distinctItems: true,
      constraintDescription: `Private subnets must list at least two different subnet IDs in different Availability Zones, such as ${SUBNET_EXAMPLE}.`,
    },
    {
      key: 'PublicSubnets',
      type: 'List<AWS::EC2::Subnet::Id>',
      label: 'Public subnets',
      description: 'Public subnets in at least two Availability Zones for an internet-facing load balancer; leave empty when the load balancer is internal.',
      group: 'Network',
      default: '',
      minItems: 2,
      distinctItems: true,
      constraintDescription: `Public subnets must be empty or list at least two different subnet IDs, such as ${SUBNET_EXAMPLE}.`,
    },
    {
      key: 'AlbScheme',
      type: 'String',
      label: 'Load balancer scheme',
      description:
        'Whether the load balancer for the query API (port 7101) and Grafana (port 3000) is reachable only inside the VPC (internal) or from the internet (internet-facing, in the public subnets).',
      group: 'Network',
      default: 'internal',
      allowedValues: ['internal', 'internet-facing'],
      constraintDescription: 'Load balancer scheme must be internal or internet-facing.',
    },
    certificateParam('AlbCertificateArn', 'Load balancer certificate ARN', 'the query API (port 7101) and Grafana (port 3000) listeners'),
    domainNameParam('AlbDomainName', 'Load balancer domain name', 'AlbDnsName'),
    allowPlainHttpParam('AlbAllowPlainHttp', 'Allow plain HTTP on an internet-facing load balancer', 'the Grafana admin password, Grafana sessions and the query API keys'),
    {
      key: 'DbEngineVersion',
      type: 'String',
      label: 'PostgreSQL version',
      description: `PostgreSQL version of the database: a major version such as ${DB_ENGINE_VERSION}, which RDS creates at its current minor and keeps patched, or major.minor such as 17.7. RDS may already run a newer minor than this value says, so the value may only rise: the preview refuses one below the version RDS runs. Raising the major version upgrades the database in place, with minutes of downtime.`,
      group: 'Database',
      default: DB_ENGINE_VERSION,
      allowedPattern: '^[1-9][0-9](\\.[0-9]{1,2})?$',
      constraintDescription: 'PostgreSQL version must be a major version such as 17, or major.minor such as 17.7.',
    },
    {
      key: 'DbDeletionProtection',
      type: 'String',
      label: 'Database deletion protection',
      description:
        'true keeps RDS from deleting the database, also when someone deletes the stack by hand. The console\'s teardown turns it off first, as a step of its own you approve in the preview.',
      group: 'Database',
      default: 'true',
      allowedValues: ['true', 'false'],
      constraintDescription: 'Database deletion protection must be true or false.',
    },
    {
      key: 'ApiKeysOverride',
      type: 'String',
      label: 'API keys (YAML)',
      description:
        'Replaces the API keys the query API accepts: a YAML list of organization_id and keys entries. Leave empty to generate one random key for the default organization.',
      group: 'Configuration overrides (advanced)',
      default: '',
      maxLength: 4096,
      noEcho: true,
      multiline: true,
      format: 'yaml-api-keys',
      constraintDescription: 'API keys must be YAML of at most 4,096 characters.',
      example: [`- organization_id: ${DEFAULT_ORGANIZATION_ID}`, '  keys:', '    - replace-with-a-long-random-key', ''].join('\n'),
    },
    {
      key: 'StorageProfilesOverride',
      type: 'String',
      label: 'Storage profiles (YAML)',
      description:
        'Replaces the storage profiles, stored verbatim: a YAML list mapping each organization_id and collector_name to a bucket. Leave empty to use the ingest bucket for the default organization.',
      group: 'Configuration overrides (advanced)',
      default: '',
      maxLength: 4096,
      multiline: true,
      format: 'yaml-storage-profiles',
      constraintDescription: 'Storage profiles must be YAML of at most 4,096 characters.',
      example: [
        "# bucket: the common stack's BucketName output, or a bucket of your own",
        '- bucket: my-ingest-bucket',
        '  cloud_provider: aws',
        `  collector_name: ${DEFAULT_COLLECTOR_NAME}`,
        '  instance_num: 1',
        `  organization_id: ${DEFAULT_ORGANIZATION_ID}`,
        '  region: us-east-1',
        '  use_path_style: true',
        '',
      ].join('\n'),
    },
  ],
  build: () => ({
    Description:
      'Lakerunner common infrastructure: encrypted PostgreSQL, EFS, the ingest bucket and queue, the ECS cluster, the load balancer and the shared configuration.',
    Conditions: {
      IsInternetFacing: equals(ref('AlbScheme'), 'internet-facing'),
      HasPublicSubnets: not(equals(join(',', ref('PublicSubnets')), '')),
      UsePublicSubnets: and(condition('IsInternetFacing'), condition('HasPublicSubnets')),
      HasCertificate: not(equals(ref('AlbCertificateArn'), '')),
      HasDomainName: not(equals(ref('AlbDomainName'), '')),
      HasApiKeysOverride: not(equals(ref('ApiKeysOverride'), '')),
      HasStorageProfilesOverride: not(equals(ref('StorageProfilesOverride'), '')),
    },
    Resources: {
      ...securityGroups(),
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] } },
      ...storage(),
      ...database(),
      ...loadBalancer(),
      ...configuration(),
    },
    Outputs: {
      VpcId: exported('ID of the VPC.', ref('VpcId'), 'VpcId'),
      PrivateSubnets: exported('Comma-separated IDs of all private subnets.', join(',', ref('PrivateSubnets')), 'PrivateSubnets'),
      // CloudFormation rejects empty export values, so "none" stands for no public subnets.
      TaskSubnets: exported(
        'Comma-separated IDs of the first two private subnets, which hold the EFS mount targets; tasks run there.',
        join(',', [select(0, ref('PrivateSubnets')), select(1, ref('PrivateSubnets'))]),
        'TaskSubnets',
      ),
      PublicSubnets: exported(
        'Comma-separated IDs of the public subnets, or none.',
        ifThen('HasPublicSubnets', join(',', ref('PublicSubnets')), 'none'),
        'PublicSubnets',
      ),
      ClusterArn: exported('ARN of the ECS cluster.', getAtt('Cluster', 'Arn'), 'ClusterArn'),
      ClusterName: exported('Name of the ECS cluster.', ref('Cluster'), 'ClusterName'),
      TaskSecurityGroupId: exported('Security group of the ECS tasks.', groupId('TaskSecurityGroup'), 'TaskSecurityGroupId'),
      DbEndpoint: exported('Host name of the database.', getAtt('Database', 'Endpoint.Address'), 'DbEndpoint'),
      DbPort: exported('Port of the database.', getAtt('Database', 'Endpoint.Port'), 'DbPort'),
      DbSecretArn: exported('ARN of the secret with the database username and password.', ref('DbSecret'), 'DbSecretArn'),
      BucketName: exported('Name of the ingest bucket.', ref('IngestBucket'), 'BucketName'),
      BucketArn: exported('ARN of the ingest bucket.', getAtt('IngestBucket', 'Arn'), 'BucketArn'),
      QueueUrl: exported('URL of the ingest notification queue.', ref('IngestQueue'), 'QueueUrl'),
      QueueArn: exported('ARN of the ingest notification queue.', getAtt('IngestQueue', 'Arn'), 'QueueArn'),
      EfsId: exported('ID of the EFS file system.', ref('FileSystem'), 'EfsId'),
      ScratchAccessPointId: exported('EFS access point for /scratch.', ref('ScratchAccessPoint'), 'ScratchAccessPointId'),
      GrafanaAccessPointId: exported('EFS access point for Grafana data.', ref('GrafanaAccessPoint'), 'GrafanaAccessPointId'),
      AlbArn: exported('ARN of the load balancer.', ref('LoadBalancer'), 'AlbArn'),
      AlbDnsName: exported('DNS name of the load balancer.', getAtt('LoadBalancer', 'DNSName'), 'AlbDnsName'),
      AlbSecurityGroupId: exported('Security group of the load balancer.', groupId('AlbSecurityGroup'), 'AlbSecurityGroupId'),
      // The URLs live here, with the load balancer, its certificate and domain name: an importing
      // stack's output may not be an import (cfn-lint W6001).
      QueryApiUrl: exported('URL of the query API on the load balancer (https with a certificate).', albUrl(QUERY_API_PORT), 'QueryApiUrl'),
      GrafanaUrl: exported('URL of Grafana on the load balancer (https with a certificate).', albUrl(GRAFANA_PORT), 'GrafanaUrl'),
      QueryApiListenerArn: exported('Load balancer listener on port 7101 for the query API.', ref('QueryApiListener'), 'QueryApiListenerArn'),
      GrafanaListenerArn: exported('Load balancer listener on port 3000 for Grafana.', ref('GrafanaListener'), 'GrafanaListenerArn'),
      ApiKeysSecretArn: exported('ARN of the secret with the API keys YAML.', ref('ApiKeysSecret'), 'ApiKeysSecretArn'),
      StorageProfilesParameterName: exported(
        'Name of the SSM parameter with the storage profiles YAML.',
        ref('StorageProfilesParameter'),
        'StorageProfilesParameterName',
      ),
      StorageProfilesParameterArn: exported(
        'ARN of the SSM parameter with the storage profiles YAML.',
        sub('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${StorageProfilesParameter}'),
        'StorageProfilesParameterArn',
      ),
    },
  }),
});
