// The IAM role a user creates once so the console can deploy through AssumeRole with an ExternalId:
// a CloudFormation template whose permissions come from an explicit table of what CloudFormation
// needs for each resource type the Lakerunner stacks use. Server-only (it reads the stack registry).
import 'server-only';
import { getAtt, ref, sub, type Expr, type Intrinsic, type Template } from '@/lib/cfn/template';
import { toCfnParameters, toInterfaceMetadata } from '@/lib/params/cfn';
import type { ParamSpec } from '@/lib/params/spec';
import { allStacks, LINES } from '@/templates';
import { renderTemplate } from '@/templates/stack';

export const DEPLOY_ROLE_STEM = 'lakerunner-deploy-role';

export const DEPLOY_ROLE_PARAMETERS: readonly ParamSpec[] = [
  {
    key: 'TrustedPrincipalArn',
    type: 'String',
    label: 'Console principal ARN',
    description:
      'ARN of the IAM role or user the console runs as (the connection check shows it). For an assumed-role session, give the role ARN: arn:aws:iam::<account>:role/<name>.',
    group: 'Who may assume the role',
    allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:(root|(user|role)/[\\w+=,.@/-]+)$',
    constraintDescription: 'Console principal ARN must be an IAM role, user or account root ARN, such as arn:aws:iam::123456789012:role/lakerunner-console.',
  },
  {
    key: 'ExternalId',
    type: 'String',
    label: 'External ID',
    description: 'Secret the console must present when it assumes the role; enter the same value in the deployment settings.',
    group: 'Who may assume the role',
    minLength: 2,
    maxLength: 1224,
    allowedPattern: '[\\w+=,.@:\\/-]*',
    constraintDescription: 'External ID must be 2 to 1,224 letters, digits or the characters + = , . @ : / - _.',
    noEcho: true,
  },
];

/** What CloudFormation, acting with the caller's credentials, needs for one resource type. */
export interface ResourcePermissions {
  /** Granted on the account's resources of the action's service (see ACCOUNT_RESOURCES). */
  readonly actions: readonly string[];
  /** Actions IAM cannot limit to a resource (describes and a few creates): granted on "*". */
  readonly unscoped?: readonly string[];
  /** Service principal the service's first use creates a service-linked role for. */
  readonly serviceLinkedRole?: string;
  /** Service principal roles of this type's resources are passed to. */
  readonly passRoleTo?: string;
}

const TAGS_EC2 = ['ec2:CreateTags', 'ec2:DeleteTags'];
const EC2_READ = ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeAvailabilityZones'];
const ECS_TAGS = ['ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'];
const ELB_TAGS = ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'];
const ELB_READ = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTags',
];
const EFS_TAGS = ['elasticfilesystem:TagResource', 'elasticfilesystem:UntagResource', 'elasticfilesystem:ListTagsForResource'];
const RDS_TAGS = ['rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'];
const SECRET_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret'];

/**
 * Every resource type the Lakerunner templates use, with the IAM actions CloudFormation calls to
 * create, read, update and delete it. A test fails when a template uses a type missing here.
 */
export const RESOURCE_PERMISSIONS: Readonly<Record<string, ResourcePermissions>> = {
  'AWS::EC2::VPC': {
    actions: ['ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:ModifyVpcAttribute', ...TAGS_EC2],
    unscoped: [...EC2_READ, 'ec2:DescribeVpcAttribute'],
  },
  'AWS::EC2::Subnet': {
    actions: ['ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute', ...TAGS_EC2],
    unscoped: EC2_READ,
  },
  'AWS::EC2::InternetGateway': {
    actions: ['ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', ...TAGS_EC2],
    unscoped: ['ec2:DescribeInternetGateways'],
  },
  'AWS::EC2::VPCGatewayAttachment': {
    actions: ['ec2:AttachInternetGateway', 'ec2:DetachInternetGateway'],
    unscoped: ['ec2:DescribeInternetGateways'],
  },
  'AWS::EC2::RouteTable': {
    actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable', ...TAGS_EC2],
    unscoped: ['ec2:DescribeRouteTables'],
  },
  'AWS::EC2::Route': {
    actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute'],
    unscoped: ['ec2:DescribeRouteTables'],
  },
  'AWS::EC2::SubnetRouteTableAssociation': {
    actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
    unscoped: ['ec2:DescribeRouteTables'],
  },
  'AWS::EC2::EIP': {
    actions: ['ec2:AllocateAddress', 'ec2:ReleaseAddress', ...TAGS_EC2],
    unscoped: ['ec2:DescribeAddresses'],
  },
  'AWS::EC2::NatGateway': {
    actions: ['ec2:CreateNatGateway', 'ec2:DeleteNatGateway', ...TAGS_EC2],
    unscoped: ['ec2:DescribeNatGateways'],
  },
  'AWS::EC2::SecurityGroup': {
    actions: [
      'ec2:CreateSecurityGroup',
      'ec2:DeleteSecurityGroup',
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:AuthorizeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupEgress',
      ...TAGS_EC2,
    ],
    unscoped: [...EC2_READ, 'ec2:DescribeSecurityGroupRules'],
  },
  'AWS::EC2::SecurityGroupIngress': {
    actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:UpdateSecurityGroupRuleDescriptionsIngress'],
    unscoped: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
  },
  'AWS::EC2::VPCEndpoint': {
    actions: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint', 'ec2:DeleteVpcEndpoints', ...TAGS_EC2],
    // Private DNS for interface endpoints associates the VPC with an AWS-owned hosted zone.
    unscoped: ['ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcEndpointServices', 'ec2:DescribePrefixLists', 'route53:AssociateVPCWithHostedZone'],
  },
  'AWS::ECS::Cluster': {
    actions: ['ecs:DeleteCluster', 'ecs:UpdateCluster', 'ecs:UpdateClusterSettings', 'ecs:PutClusterCapacityProviders', ...ECS_TAGS],
    unscoped: ['ecs:CreateCluster', 'ecs:DescribeClusters'],
    serviceLinkedRole: 'ecs.amazonaws.com',
  },
  'AWS::ECS::TaskDefinition': {
    actions: ['iam:GetRole', ...ECS_TAGS],
    unscoped: ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DeleteTaskDefinitions', 'ecs:DescribeTaskDefinition'],
    passRoleTo: 'ecs-tasks.amazonaws.com',
  },
  'AWS::ECS::Service': {
    actions: ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices', ...ECS_TAGS],
    unscoped: [...ELB_READ, ...EC2_READ],
    serviceLinkedRole: 'ecs.amazonaws.com',
  },
  'AWS::EFS::FileSystem': {
    actions: [
      'elasticfilesystem:CreateFileSystem',
      'elasticfilesystem:UpdateFileSystem',
      'elasticfilesystem:UpdateFileSystemProtection',
      'elasticfilesystem:DeleteFileSystem',
      'elasticfilesystem:PutFileSystemPolicy',
      'elasticfilesystem:DeleteFileSystemPolicy',
      'elasticfilesystem:PutLifecycleConfiguration',
      'elasticfilesystem:PutBackupPolicy',
      'kms:DescribeKey',
      'kms:CreateGrant',
      'kms:GenerateDataKeyWithoutPlaintext',
      ...EFS_TAGS,
    ],
    unscoped: [
      'elasticfilesystem:DescribeFileSystems',
      'elasticfilesystem:DescribeFileSystemPolicy',
      'elasticfilesystem:DescribeLifecycleConfiguration',
      'elasticfilesystem:DescribeBackupPolicy',
      'elasticfilesystem:DescribeReplicationConfigurations',
    ],
    serviceLinkedRole: 'elasticfilesystem.amazonaws.com',
  },
  'AWS::EFS::MountTarget': {
    // EFS creates the mount target's network interface with the caller's permissions.
    actions: ['elasticfilesystem:CreateMountTarget', 'elasticfilesystem:DeleteMountTarget', 'elasticfilesystem:ModifyMountTargetSecurityGroups', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
    unscoped: ['elasticfilesystem:DescribeMountTargets', 'elasticfilesystem:DescribeMountTargetSecurityGroups', 'ec2:DescribeNetworkInterfaces', ...EC2_READ],
  },
  'AWS::EFS::AccessPoint': {
    actions: ['elasticfilesystem:CreateAccessPoint', 'elasticfilesystem:DeleteAccessPoint', ...EFS_TAGS],
    unscoped: ['elasticfilesystem:DescribeAccessPoints'],
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    actions: [
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:SetIpAddressType',
      ...ELB_TAGS,
    ],
    unscoped: [...ELB_READ, ...EC2_READ],
    serviceLinkedRole: 'elasticloadbalancing.amazonaws.com',
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    actions: ['elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', ...ELB_TAGS],
    unscoped: ELB_READ,
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyListenerAttributes', ...ELB_TAGS],
    unscoped: ELB_READ,
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': {
    actions: ['elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', ...ELB_TAGS],
    unscoped: ELB_READ,
  },
  'AWS::IAM::Role': {
    actions: [
      'iam:CreateRole',
      'iam:DeleteRole',
      'iam:GetRole',
      'iam:UpdateRole',
      'iam:UpdateRoleDescription',
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePolicy',
      'iam:GetRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:ListRolePolicies',
      'iam:AttachRolePolicy',
      'iam:DetachRolePolicy',
      'iam:ListAttachedRolePolicies',
      'iam:TagRole',
      'iam:UntagRole',
      'iam:ListRoleTags',
    ],
  },
  'AWS::IAM::Policy': {
    actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
  },
  'AWS::IAM::ManagedPolicy': {
    actions: [
      'iam:CreatePolicy',
      'iam:DeletePolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:CreatePolicyVersion',
      'iam:DeletePolicyVersion',
      'iam:ListPolicyVersions',
      'iam:ListEntitiesForPolicy',
      'iam:AttachRolePolicy',
      'iam:DetachRolePolicy',
      'iam:TagPolicy',
      'iam:UntagPolicy',
    ],
  },
  'AWS::Lambda::Function': {
    actions: [
      'lambda:CreateFunction',
      'lambda:DeleteFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:PutFunctionConcurrency',
      'lambda:DeleteFunctionConcurrency',
      'lambda:GetRuntimeManagementConfig',
      'lambda:TagResource',
      'lambda:UntagResource',
      'lambda:ListTags',
    ],
    passRoleTo: 'lambda.amazonaws.com',
  },
  // CloudFormation invokes a custom resource's Lambda function with the caller's credentials.
  'Custom::*': { actions: ['lambda:InvokeFunction'] },
  'AWS::Logs::LogGroup': {
    actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'],
    unscoped: ['logs:DescribeLogGroups'],
  },
  'AWS::RDS::DBSubnetGroup': {
    actions: ['rds:CreateDBSubnetGroup', 'rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup', 'rds:DescribeDBSubnetGroups', ...RDS_TAGS],
    unscoped: EC2_READ,
  },
  'AWS::RDS::DBInstance': {
    // DeletionPolicy Snapshot: the delete takes a final snapshot, authorized as CreateDBSnapshot.
    actions: [
      'rds:CreateDBInstance',
      'rds:ModifyDBInstance',
      'rds:DeleteDBInstance',
      'rds:RebootDBInstance',
      'rds:DescribeDBInstances',
      'rds:CreateDBSnapshot',
      'rds:DescribeDBSnapshots',
      'kms:DescribeKey',
      'kms:CreateGrant',
      'secretsmanager:GetSecretValue',
      ...RDS_TAGS,
    ],
    unscoped: ['rds:DescribeDBEngineVersions', 'rds:DescribeOrderableDBInstanceOptions', ...EC2_READ],
    serviceLinkedRole: 'rds.amazonaws.com',
  },
  'AWS::S3::Bucket': {
    actions: [
      's3:CreateBucket',
      's3:DeleteBucket',
      's3:GetBucketLocation',
      's3:PutBucketTagging',
      's3:GetBucketTagging',
      's3:PutEncryptionConfiguration',
      's3:GetEncryptionConfiguration',
      's3:PutBucketPublicAccessBlock',
      's3:GetBucketPublicAccessBlock',
      's3:PutBucketOwnershipControls',
      's3:GetBucketOwnershipControls',
      's3:PutLifecycleConfiguration',
      's3:GetLifecycleConfiguration',
      's3:PutBucketNotification',
      's3:GetBucketNotification',
    ],
  },
  'AWS::S3::BucketPolicy': { actions: ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'] },
  'AWS::SQS::Queue': {
    actions: ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'],
  },
  'AWS::SQS::QueuePolicy': { actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'] },
  'AWS::SSM::Parameter': {
    actions: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:DeleteParameter', 'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
    unscoped: ['ssm:DescribeParameters'],
  },
  'AWS::SecretsManager::Secret': {
    // Dynamic references ({{resolve:secretsmanager:…}}) are resolved with the caller's GetSecretValue.
    actions: ['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource', 'secretsmanager:UntagResource', ...SECRET_ACTIONS],
    unscoped: ['secretsmanager:GetRandomPassword'],
  },
  'AWS::SecretsManager::SecretTargetAttachment': {
    actions: [...SECRET_ACTIONS, 'rds:DescribeDBInstances'],
  },
  // The current line's types.
  'AWS::CloudFormation::Stack': {
    // A nested stack is created with the caller's credentials, its template read from S3 (s3:GetObject above).
    actions: [
      'cloudformation:CreateStack',
      'cloudformation:UpdateStack',
      'cloudformation:DeleteStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStackResources',
      'cloudformation:GetTemplate',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:DeleteChangeSet',
      'cloudformation:TagResource',
    ],
    unscoped: ['cloudformation:ValidateTemplate'],
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    actions: ['application-autoscaling:RegisterScalableTarget', 'application-autoscaling:DeregisterScalableTarget', 'application-autoscaling:TagResource'],
    unscoped: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingActivities'],
    serviceLinkedRole: 'ecs.application-autoscaling.amazonaws.com',
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    // Target tracking makes and removes its CloudWatch alarms.
    actions: ['application-autoscaling:PutScalingPolicy', 'application-autoscaling:DeleteScalingPolicy', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
    unscoped: ['application-autoscaling:DescribeScalingPolicies', 'cloudwatch:DescribeAlarms'],
  },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    actions: [
      'servicediscovery:GetNamespace',
      'servicediscovery:DeleteNamespace',
      'servicediscovery:TagResource',
      'servicediscovery:UntagResource',
      'servicediscovery:ListTagsForResource',
      'route53:DeleteHostedZone',
      'route53:ChangeTagsForResource',
    ],
    // Cloud Map makes the namespace's Route 53 private hosted zone with the caller's permissions.
    unscoped: [
      'servicediscovery:CreatePrivateDnsNamespace',
      'servicediscovery:GetOperation',
      'servicediscovery:ListNamespaces',
      'route53:CreateHostedZone',
      'route53:GetHostedZone',
      'route53:ListHostedZonesByName',
      'route53:AssociateVPCWithHostedZone',
      ...EC2_READ,
    ],
  },
  'AWS::ServiceDiscovery::Service': {
    actions: ['servicediscovery:GetService', 'servicediscovery:UpdateService', 'servicediscovery:DeleteService', 'servicediscovery:TagResource', 'servicediscovery:UntagResource', 'servicediscovery:ListTagsForResource'],
    unscoped: ['servicediscovery:CreateService', 'servicediscovery:GetOperation', 'servicediscovery:GetNamespace'],
  },
  'AWS::IAM::ServerCertificate': {
    actions: ['iam:UploadServerCertificate', 'iam:DeleteServerCertificate', 'iam:GetServerCertificate', 'iam:TagServerCertificate', 'iam:UntagServerCertificate', 'iam:ListServerCertificateTags'],
  },
  'AWS::KinesisFirehose::DeliveryStream': {
    actions: [
      'firehose:CreateDeliveryStream',
      'firehose:DeleteDeliveryStream',
      'firehose:DescribeDeliveryStream',
      'firehose:UpdateDestination',
      'firehose:TagDeliveryStream',
      'firehose:UntagDeliveryStream',
      'firehose:ListTagsForDeliveryStream',
    ],
    passRoleTo: 'firehose.amazonaws.com',
  },
  'AWS::CloudWatch::MetricStream': {
    actions: ['cloudwatch:PutMetricStream', 'cloudwatch:DeleteMetricStream', 'cloudwatch:GetMetricStream', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
    passRoleTo: 'streams.metrics.cloudwatch.amazonaws.com',
  },
};

/** The table key covering a resource type: custom resources share one entry. */
export const permissionsKey = (type: string) => (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' ? 'Custom::*' : type);

/** Every resource type the rendered Lakerunner templates of every release line use (nested stacks' included), sorted. */
export function lakerunnerResourceTypes(): string[] {
  const templates = allStacks().flatMap((stack) => [renderTemplate(stack), ...Object.values(stack.buildChildren?.() ?? {})]);
  const types = new Set(templates.flatMap((template) => Object.values(template.Resources).map((r) => r.Type)));
  return [...types].sort();
}

const PARTITION_ACCOUNT = 'arn:${AWS::Partition}';
/** The account's resources of each service, as ARN patterns (S3 ARNs carry no account). */
export const ACCOUNT_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  cloudformation: [`${PARTITION_ACCOUNT}:cloudformation:*:\${AWS::AccountId}:stack/*`],
  'application-autoscaling': [`${PARTITION_ACCOUNT}:application-autoscaling:*:\${AWS::AccountId}:scalable-target/*`],
  cloudwatch: [`${PARTITION_ACCOUNT}:cloudwatch:*:\${AWS::AccountId}:metric-stream/*`, `${PARTITION_ACCOUNT}:cloudwatch:*:\${AWS::AccountId}:alarm:*`],
  ec2: [`${PARTITION_ACCOUNT}:ec2:*:\${AWS::AccountId}:*`],
  ecs: [`${PARTITION_ACCOUNT}:ecs:*:\${AWS::AccountId}:*`],
  elasticfilesystem: [`${PARTITION_ACCOUNT}:elasticfilesystem:*:\${AWS::AccountId}:*`],
  elasticloadbalancing: [`${PARTITION_ACCOUNT}:elasticloadbalancing:*:\${AWS::AccountId}:*`],
  firehose: [`${PARTITION_ACCOUNT}:firehose:*:\${AWS::AccountId}:deliverystream/*`],
  iam: [
    `${PARTITION_ACCOUNT}:iam::\${AWS::AccountId}:role/*`,
    `${PARTITION_ACCOUNT}:iam::\${AWS::AccountId}:policy/*`,
    `${PARTITION_ACCOUNT}:iam::\${AWS::AccountId}:server-certificate/*`,
  ],
  kms: [`${PARTITION_ACCOUNT}:kms:*:\${AWS::AccountId}:key/*`],
  lambda: [`${PARTITION_ACCOUNT}:lambda:*:\${AWS::AccountId}:function:*`],
  logs: [`${PARTITION_ACCOUNT}:logs:*:\${AWS::AccountId}:log-group:*`],
  rds: [`${PARTITION_ACCOUNT}:rds:*:\${AWS::AccountId}:*`],
  // Hosted zone ARNs carry no account; only the console's own calls reach them.
  route53: [`${PARTITION_ACCOUNT}:route53:::hostedzone/*`],
  s3: [`${PARTITION_ACCOUNT}:s3:::*`],
  secretsmanager: [`${PARTITION_ACCOUNT}:secretsmanager:*:\${AWS::AccountId}:secret:*`],
  servicediscovery: [`${PARTITION_ACCOUNT}:servicediscovery:*:\${AWS::AccountId}:*`],
  sqs: [`${PARTITION_ACCOUNT}:sqs:*:\${AWS::AccountId}:*`],
  ssm: [`${PARTITION_ACCOUNT}:ssm:*:\${AWS::AccountId}:parameter/*`],
};

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: Expr;
  Condition?: Record<string, Record<string, Expr>>;
}

const STAGING_BUCKET = `${PARTITION_ACCOUNT}:s3:::lakerunner-console-\${AWS::AccountId}-*`;
const serviceOf = (action: string) => action.slice(0, action.indexOf(':'));
/** A statement id from a service prefix: letters and digits only (application-autoscaling → ApplicationAutoscaling). */
const sidOf = (service: string) => service.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
const sorted = (actions: Iterable<string>) => [...new Set(actions)].sort();
const resources = (patterns: readonly string[]): Expr => (patterns.length === 1 ? sub(patterns[0]!) : patterns.map((p) => sub(p)));

/** A teardown empties the buckets the lines name (LineTeardown.emptyBuckets) before their stacks' deletes; ListObjectsV2 is authorized as s3:ListBucket. */
function teardownStatements(): PolicyStatement[] {
  const patterns = [...new Set(LINES.flatMap((line) => line.operations.teardown?.emptyBuckets ?? []).map((b) => b.namePattern))].sort();
  if (patterns.length === 0) return [];
  return [
    { Sid: 'TeardownEmptyBuckets', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: resources(patterns.map((p) => `${PARTITION_ACCOUNT}:s3:::${p}`)) },
    { Sid: 'TeardownEmptyBucketObjects', Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: resources(patterns.map((p) => `${PARTITION_ACCOUNT}:s3:::${p}/*`)) },
  ];
}

/** What the console itself calls with the role, besides what CloudFormation calls for the resources. */
function consoleStatements(): PolicyStatement[] {
  return [
    {
      Sid: 'CloudFormationStacks',
      Effect: 'Allow',
      Action: sorted(
        ['CreateStack', 'UpdateStack', 'DeleteStack', 'DescribeStacks', 'DescribeStackEvents', 'DescribeStackResource', 'DescribeStackResources']
          .concat(['ListStackResources', 'GetTemplate', 'GetTemplateSummary', 'CreateChangeSet', 'DescribeChangeSet', 'ExecuteChangeSet'])
          .concat(['DeleteChangeSet', 'ListChangeSets', 'CancelUpdateStack', 'ContinueUpdateRollback', 'TagResource', 'UntagResource'])
          .map((a) => `cloudformation:${a}`),
      ),
      Resource: resources([`${PARTITION_ACCOUNT}:cloudformation:*:\${AWS::AccountId}:stack/*/*`, `${PARTITION_ACCOUNT}:cloudformation:*:\${AWS::AccountId}:changeSet/*/*`]),
    },
    {
      Sid: 'CloudFormationAccount',
      Effect: 'Allow',
      Action: sorted(['ListStacks', 'ListExports', 'ListImports', 'ValidateTemplate', 'GetTemplateSummary'].map((a) => `cloudformation:${a}`)),
      Resource: '*',
    },
    {
      // HeadBucket is authorized as s3:ListBucket.
      Sid: 'ConsoleTemplateStagingBucket',
      Effect: 'Allow',
      Action: ['s3:CreateBucket', 's3:ListBucket', 's3:PutBucketPublicAccessBlock', 's3:PutEncryptionConfiguration'],
      Resource: sub(STAGING_BUCKET),
    },
    {
      // HeadObject (are a nested stack's templates there already?) is authorized as s3:GetObject;
      // CloudFormation reads the staged templates with the role's credentials too.
      Sid: 'ConsoleTemplateStagingObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: sub(`${STAGING_BUCKET}/*`),
    },
    {
      Sid: 'GrafanaAdminSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: resources(ACCOUNT_RESOURCES.secretsmanager!),
    },
    {
      Sid: 'NetworkPickers',
      Effect: 'Allow',
      Action: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
      Resource: '*',
    },
    ...teardownStatements(),
    {
      // The preflight of a customer's own VPC (public subnets by their route tables) and ECS cluster.
      Sid: 'CustomerNetworkAndCluster',
      Effect: 'Allow',
      Action: ['ec2:DescribeRouteTables', 'ecs:DescribeClusters'],
      Resource: '*',
    },
    {
      // The Fargate quota preflight; Service Quotas has no resource-level permissions.
      Sid: 'FargateQuota',
      Effect: 'Allow',
      Action: ['servicequotas:GetAWSDefaultServiceQuota', 'servicequotas:GetServiceQuota'],
      Resource: '*',
    },
  ];
}

/** Policy statements for the given resource types: per service, its account's resources and "*". */
export function resourceStatements(types: readonly string[]): PolicyStatement[] {
  const scoped = new Map<string, Set<string>>();
  const unscoped = new Map<string, Set<string>>();
  const linkedRoles = new Set<string>();
  const passTo = new Set<string>();
  const add = (into: Map<string, Set<string>>, action: string) => {
    const service = serviceOf(action);
    into.set(service, (into.get(service) ?? new Set()).add(action));
  };
  for (const type of types) {
    const entry = RESOURCE_PERMISSIONS[permissionsKey(type)];
    if (!entry) throw new Error(`No IAM permissions are listed for ${type}; add it to RESOURCE_PERMISSIONS in lib/aws/deploy-role.ts.`);
    entry.actions.forEach((a) => add(scoped, a));
    entry.unscoped?.forEach((a) => add(unscoped, a));
    if (entry.serviceLinkedRole) linkedRoles.add(entry.serviceLinkedRole);
    if (entry.passRoleTo) passTo.add(entry.passRoleTo);
  }

  const statements: PolicyStatement[] = [];
  for (const service of [...new Set([...scoped.keys(), ...unscoped.keys()])].sort()) {
    const own = scoped.get(service);
    if (own) {
      const patterns = ACCOUNT_RESOURCES[service];
      if (!patterns) throw new Error(`No account resource pattern for the ${service} service; add it to ACCOUNT_RESOURCES.`);
      statements.push({ Sid: `${sidOf(service)}AccountResources`, Effect: 'Allow', Action: sorted(own), Resource: resources(patterns) });
    }
    const any = unscoped.get(service);
    if (any) statements.push({ Sid: `${sidOf(service)}AnyResource`, Effect: 'Allow', Action: sorted(any), Resource: '*' });
  }
  if (linkedRoles.size > 0)
    statements.push({
      Sid: 'ServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: sub(`${PARTITION_ACCOUNT}:iam::\${AWS::AccountId}:role/aws-service-role/*`),
      Condition: { StringEquals: { 'iam:AWSServiceName': sorted(linkedRoles) } },
    });
  if (passTo.size > 0)
    statements.push({
      Sid: 'PassRolesToTasksAndFunctions',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: sub(`${PARTITION_ACCOUNT}:iam::\${AWS::AccountId}:role/*`),
      Condition: { StringEquals: { 'iam:PassedToService': sorted(passTo) } },
    });
  return statements;
}

/** IAM's limit for a managed policy document: 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_LIMIT = 6144;
/** The default quota of managed policies attached to one role. */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** The longest values the pseudo parameters can take, so a size check holds in every partition. */
const WORST_CASE: Record<string, string> = { 'AWS::Partition': 'aws-us-gov', 'AWS::AccountId': '123456789012', 'AWS::Region': 'ap-southeast-2' };

/** A policy document's size as IAM counts it, with Fn::Sub resolved to the longest values. */
export function policyDocumentSize(document: unknown): number {
  const resolved = JSON.stringify(document, (_key, value: unknown) => {
    const text = (value as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
    return typeof text === 'string' ? text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => WORST_CASE[name] ?? name) : value;
  });
  return resolved.replace(/\s/g, '').length;
}

const document = (statements: PolicyStatement[]) => ({ Version: '2012-10-17', Statement: statements });

/** Packs statements into as few documents under the limit as first-fit allows; too-large statements are split by action. */
export function packStatements(statements: readonly PolicyStatement[], limit = MANAGED_POLICY_LIMIT): PolicyStatement[][] {
  const fits = (list: PolicyStatement[]) => policyDocumentSize(document(list)) <= limit;
  const pieces: PolicyStatement[] = [];
  const split = (statement: PolicyStatement, part = 0): void => {
    if (fits([statement]) || statement.Action.length === 1) {
      pieces.push(part === 0 ? statement : { ...statement, Sid: `${statement.Sid}${part}` });
      return;
    }
    const half = Math.ceil(statement.Action.length / 2);
    split({ ...statement, Action: statement.Action.slice(0, half) }, part * 2 + 1);
    split({ ...statement, Action: statement.Action.slice(half) }, part * 2 + 2);
  };
  statements.forEach((s) => split(s));
  const documents: PolicyStatement[][] = [];
  for (const piece of pieces) {
    const target = documents.find((list) => fits([...list, piece]));
    if (target) target.push(piece);
    else documents.push([piece]);
  }
  return documents;
}

/**
 * The deploy role template: a role the console's principal may assume only with the ExternalId,
 * with managed policies covering every Lakerunner stack, CloudFormation and the staging bucket.
 * `defaults` may preset the principal ARN; the ExternalId is NoEcho and never defaulted.
 */
export function deployRoleTemplate(defaults: { TrustedPrincipalArn?: string } = {}): Template {
  const statements = [...consoleStatements(), ...resourceStatements(lakerunnerResourceTypes())];
  const documents = packStatements(statements);
  if (documents.length > MANAGED_POLICIES_PER_ROLE) throw new Error(`The deploy role needs ${documents.length} managed policies; one role takes at most ${MANAGED_POLICIES_PER_ROLE}.`);
  const policyIds = documents.map((_d, i) => `DeployPermissions${i + 1}`);
  const trustedPrincipal: Intrinsic = ref('TrustedPrincipalArn');
  const given: Record<string, string> = defaults.TrustedPrincipalArn === undefined ? {} : { TrustedPrincipalArn: defaults.TrustedPrincipalArn };

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Lakerunner Launch Console deploy role: the console assumes it with an ExternalId to deploy the Lakerunner stacks through CloudFormation.',
    Metadata: toInterfaceMetadata(DEPLOY_ROLE_PARAMETERS),
    Parameters: toCfnParameters(DEPLOY_ROLE_PARAMETERS, given),
    Resources: {
      ...Object.fromEntries(
        documents.map((statementsOfPolicy, i) => [
          policyIds[i]!,
          {
            Type: 'AWS::IAM::ManagedPolicy',
            Properties: {
              Description: `Lakerunner Launch Console deployments, part ${i + 1} of ${documents.length}.`,
              PolicyDocument: document(statementsOfPolicy) as unknown as Expr,
            },
          },
        ]),
      ),
      DeployRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'Assumed by the Lakerunner Launch Console to deploy the Lakerunner stacks.',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: trustedPrincipal },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'sts:ExternalId': ref('ExternalId') } },
              },
            ],
          },
          ManagedPolicyArns: policyIds.map((id) => ref(id)),
        },
      },
    },
    Outputs: {
      RoleArn: { Description: 'ARN of the deploy role: enter it in the deployment settings with the External ID.', Value: getAtt('DeployRole', 'Arn') },
    },
  };
}

/**
 * The principal to trust for a caller ARN from GetCallerIdentity: an assumed-role session becomes
 * its role. The session ARN does not carry the role's path, so a role under a path needs it added.
 */
export function trustedPrincipalFor(callerArn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn;
}
