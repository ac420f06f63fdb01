// cardinal-lakerunner-infra-base: the IT and security stack, deployed first. The load balancer's
// and the five tiers' security groups with the rules between them, one shared ECS execution role
// and a task role per tier (scoped by name patterns: the database and services do not exist yet),
// the cooked bucket, and the license and admin-key secrets.
import { equals, getAtt, ifThen, noValue, not, ref, sub, type Expr, type Resource } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { defineStack } from '../stack';
import { executionPolicyArns, regionalArn, role, statement, trustService, type Statement } from './building-blocks';
import type { CurrentStackId } from './ids';
import {
  ALB_PORTS,
  albSchemeParam,
  cardinalTags,
  extraPolicyArnsParam,
  optionalBucketNameParam,
  PORTS,
  publicAccessBlockParam,
  TIERS,
  vpcIdParam,
  type Tier,
} from './shared';

const MANAGED_BY = 'cardinal-cfn-infra-base';

/** A stand-in token for trying the line in the sandbox, which accepts any license; Lakerunner would reject it. */
export const SAMPLE_LICENSE = 'z64:sandbox-sample-license-not-valid-on-aws';
const tagged = (name: string, component: string) => cardinalTags(name, component, MANAGED_BY);

const CIDR_OR_EMPTY = '^$|^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$';
const ALB_CIDRS = [
  { index: 1, default: '10.0.0.0/8' },
  { index: 2, default: '172.16.0.0/12' },
  { index: 3, default: '192.168.0.0/16' },
] as const;

const secretNameParam = (key: string, label: string, defaultName: string, holds: string): ParamSpec => ({
  key,
  type: 'String',
  label,
  description: `Name of the secret holding ${holds}; it must start with cardinal- (the roles read secret:cardinal-*) and be unique in the account and region.`,
  group: 'Names (advanced)',
  default: defaultName,
  minLength: 1,
  constraintDescription: `${label} must not be empty.`,
});

const PARAMETERS: ParamSpec[] = [
  vpcIdParam('VPC the security groups are created in: the one the services and the database will run in.', { label: 'VPC for the security groups' }),
  ...ALB_CIDRS.map(
    (cidr): ParamSpec => ({
      key: `AlbAllowedCidr${cidr.index}`,
      type: 'String',
      label: `Allowed CIDR ${cidr.index}`,
      description: `${cidr.index === 1 ? 'First' : cidr.index === 2 ? 'Second' : 'Third'} IPv4 range allowed to reach the load balancer on 443, 9443 and 4318; leave empty to skip it.`,
      group: 'ALB ingress',
      default: cidr.default,
      allowedPattern: CIDR_OR_EMPTY,
      constraintDescription: `Allowed CIDR ${cidr.index} must be empty or an IPv4 CIDR such as ${cidr.default}.`,
      format: 'cidr',
    }),
  ),
  albSchemeParam(
    "Scheme of the app load balancer; internet-facing also opens 443, 9443 and 4318 to 0.0.0.0/0. It must match the scheme given to cardinal-lakerunner-services.",
    { group: 'ALB ingress' },
  ),
  {
    key: 'ClusterArn',
    type: 'String',
    label: 'ECS cluster ARN',
    description: 'ARN of the ECS cluster the services will run in; it scopes the query role\'s ECS permissions to that cluster.',
    group: 'ECS',
  },
  optionalBucketNameParam(
    'CookedBucketName',
    'Cooked bucket name (blank = default)',
    'Name of the bucket Lakerunner writes its cooked segments to; blank uses cardinal-cooked-<account>-<region>.',
    { group: 'Cooked storage' },
  ),
  {
    key: 'LicenseData',
    type: 'String',
    label: 'License token (z64:...)',
    description: 'Your Cardinal license token, stored verbatim as the cardinal-license secret; every Lakerunner and Maestro container reads it.',
    group: 'License',
    default: '',
    noEcho: true,
    multiline: true,
    keepOutOfDownloads: true,
    // Only the sandbox accepts it (lib/plan/account-checks.ts refuses it against a real account).
    sample: { label: 'Use the sample license (sandbox only)', value: SAMPLE_LICENSE },
  },
  secretNameParam('LicenseSecretName', 'License secret name', 'cardinal-license', 'the license token'),
  secretNameParam('AdminKeySecretName', 'Admin key secret name', 'cardinal-admin-key', 'the generated admin API key'),
  publicAccessBlockParam('cooked bucket'),
  extraPolicyArnsParam('shared ECS execution role'),
];

const sgId = (tierOrAlb: string) => getAtt(`${tierOrAlb}SecurityGroup`, 'GroupId');

/** Tier-to-tier and load-balancer-to-tier rules (fact sheet §5), plus alert-evaluator's reach to query-api. */
export const TIER_INGRESS: readonly { id: string; to: Tier; from: Tier | 'Alb'; port: number; description: string }[] = [
  { id: 'QueryFromAlb', to: 'Query', from: 'Alb', port: PORTS.queryApi, description: 'ALB to query-api' },
  { id: 'QueryHealthFromAlb', to: 'Query', from: 'Alb', port: PORTS.health, description: 'ALB health checks of query-api' },
  { id: 'QueryWorkerFromQuery', to: 'Query', from: 'Query', port: PORTS.queryWorkerGrpc, description: 'query-api to query-worker gRPC control stream' },
  { id: 'QueryWorkerArtifactFromQuery', to: 'Query', from: 'Query', port: PORTS.queryWorkerArtifacts, description: 'query-api to query-worker artifact fetch' },
  { id: 'ControlAdminApiFromAlb', to: 'Control', from: 'Alb', port: PORTS.adminApi, description: 'ALB to admin-api' },
  { id: 'ControlHealthFromAlb', to: 'Control', from: 'Alb', port: PORTS.health, description: 'ALB health checks of admin-api' },
  { id: 'QueryFromMaestro', to: 'Query', from: 'Maestro', port: PORTS.queryApi, description: 'Maestro to query-api through Cloud Map' },
  { id: 'ControlAdminApiFromMaestro', to: 'Control', from: 'Maestro', port: PORTS.adminApi, description: 'Maestro to admin-api through Cloud Map' },
  { id: 'MaestroUiFromAlb', to: 'Maestro', from: 'Alb', port: PORTS.maestro, description: 'ALB to the Maestro UI' },
  { id: 'MaestroDexFromAlb', to: 'Maestro', from: 'Alb', port: PORTS.dex, description: 'ALB to Dex' },
  // Missing upstream: alert-evaluator (control tier) calls query-api through Cloud Map.
  { id: 'QueryFromControl', to: 'Query', from: 'Control', port: PORTS.queryApi, description: 'alert-evaluator to query-api through Cloud Map' },
];

const TIER_DESCRIPTIONS: Record<Tier, string> = {
  Migration: 'Cardinal migration task: no inbound; the one-shot database migrator.',
  Query: 'Cardinal query tier (query-api, query-worker).',
  Process: 'Cardinal process tier (process-logs, process-metrics, process-traces, pubsub-sqs).',
  Control: 'Cardinal control tier (admin-api, sweeper, monitoring, alert-evaluator).',
  Maestro: 'Cardinal maestro tier (Maestro UI, MCP gateway, Dex OIDC).',
};

// No inline egress anywhere: declaring it makes CloudFormation revoke the default rule, which
// Control Tower-style SCPs deny.
function securityGroups(): Record<string, Resource> {
  const group = (description: string, name: string): Resource => ({
    Type: 'AWS::EC2::SecurityGroup',
    Properties: { GroupDescription: description, VpcId: ref('VpcId'), Tags: tagged(name, 'security') },
  });
  const ingress = (to: string, port: number, source: Record<string, Expr>, description: string, condition?: string): Resource => ({
    Type: 'AWS::EC2::SecurityGroupIngress',
    ...(condition ? { Condition: condition } : {}),
    Properties: { GroupId: sgId(to), IpProtocol: 'tcp', FromPort: port, ToPort: port, ...source, Description: description },
  });
  const resources: Record<string, Resource> = {
    AlbSecurityGroup: group('Cardinal ALB: inbound 443, 9443 and 4318 from the allowed CIDRs.', 'cardinal-alb-sg'),
  };
  for (const port of ALB_PORTS) {
    for (const cidr of ALB_CIDRS) {
      resources[`AlbIngress${port}From${cidr.index}`] = ingress(
        'Alb',
        port,
        { CidrIp: ref(`AlbAllowedCidr${cidr.index}`) },
        `ALB inbound on ${port} from AlbAllowedCidr${cidr.index}`,
        `HasAlbCidr${cidr.index}`,
      );
    }
    resources[`AlbIngress${port}FromInternet`] = ingress('Alb', port, { CidrIp: '0.0.0.0/0' }, `ALB inbound on ${port} from the internet`, 'AlbIsInternetFacing');
  }
  for (const tier of TIERS) resources[`${tier}SecurityGroup`] = group(TIER_DESCRIPTIONS[tier], `cardinal-svc-${tier.toLowerCase()}-sg`);
  for (const rule of TIER_INGRESS) {
    resources[rule.id] = ingress(rule.to, rule.port, { SourceSecurityGroupId: sgId(rule.from) }, rule.description);
  }
  return resources;
}

/** secret:cardinal-*: the license, admin-key and database secrets, with any suffix. */
const CARDINAL_SECRETS = regionalArn('secretsmanager', 'secret:cardinal-*');
const readSecrets = (sid = 'ReadSecrets') => statement(sid, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], CARDINAL_SECRETS);
const logStreams = () =>
  statement('CardinalLogStreams', ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], regionalArn('logs', 'log-group:/cardinal/*'));
const cooked = (sid: string, actions: string[]) => statement(sid, actions, [getAtt('CookedBucket', 'Arn'), sub('${CookedBucket.Arn}/*')]);

/** Each tier's inline policy (fact sheet §4.1): what its containers call, nothing more. */
export const TIER_STATEMENTS: Record<Tier, () => Statement[]> = {
  Migration: () => [readSecrets(), logStreams()],
  Query: () => [
    readSecrets(),
    cooked('CookedBucketRead', ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation']),
    logStreams(),
    // query-api finds its workers through ECS; these actions take no cluster-scoped resource ARN for listing.
    statement('DescribeWorkerTasks', ['ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListTasks'], '*', { ArnEquals: { 'ecs:cluster': ref('ClusterArn') } }),
  ],
  Process: () => [
    readSecrets(),
    cooked('CookedBucketReadWrite', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketLocation']),
    // The raw queue and bucket are reached only through a satellite's access role, in any account.
    statement('AssumeSatelliteAccess', ['sts:AssumeRole'], sub('arn:${AWS::Partition}:iam::*:role/cardinal-satellite-access*')),
    statement(
      'InvokeBedrockFoundationModels',
      ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      sub('arn:${AWS::Partition}:bedrock:*::foundation-model/*'),
    ),
    logStreams(),
  ],
  Control: () => [readSecrets(), cooked('SweeperS3Cleanup', ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket']), logStreams()],
  Maestro: () => [readSecrets(), logStreams()],
};

function roles(): Record<string, Resource> {
  const ecsTasks = trustService('ecs-tasks.amazonaws.com');
  return {
    ExecutionRole: role({
      trust: ecsTasks,
      policyName: 'cardinal-task-exec-extras',
      managedPolicyArns: executionPolicyArns('HasExecutionRoleExtraPolicies'),
      statements: [readSecrets('ResolveCardinalSecrets')],
      tags: tagged('cardinal-task-exec-role', 'iam'),
    }),
    ...Object.fromEntries(
      TIERS.map((tier) => [
        `${tier}Role`,
        role({
          trust: ecsTasks,
          policyName: `cardinal-svc-${tier.toLowerCase()}`,
          statements: TIER_STATEMENTS[tier](),
          tags: tagged(`cardinal-svc-${tier.toLowerCase()}-role`, 'iam'),
        }),
      ]),
    ),
  };
}

function storage(): Record<string, Resource> {
  return {
    CookedBucket: {
      Type: 'AWS::S3::Bucket',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketName: ifThen('UseDefaultCookedBucketName', sub('cardinal-cooked-${AWS::AccountId}-${AWS::Region}'), ref('CookedBucketName')),
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: ifThen(
          'AddCookedBucketPublicAccessBlock',
          { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          noValue,
        ),
        Tags: tagged('cardinal-cooked', 'storage'),
      },
    },
    LicenseSecret: {
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Name: ref('LicenseSecretName'),
        Description: 'Cardinal lakerunner license token (z64:...).',
        // A secret's string cannot be empty; LicenseRequired refuses an empty token, and the condition
        // keeps the property valid for any parameter default.
        SecretString: ifThen('HasLicenseData', ref('LicenseData'), noValue),
        Tags: tagged('cardinal-license', 'license'),
      },
    },
    AdminKeySecret: {
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Name: ref('AdminKeySecretName'),
        Description: 'Cardinal admin API key: seeds admin-api and lets Maestro provision organizations.',
        GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'key', PasswordLength: 64, ExcludePunctuation: true },
        Tags: tagged('cardinal-admin-key', 'license'),
      },
    },
  };
}

const output = (description: string, value: Expr) => ({ Description: description, Value: value });

export const infraBaseStack = defineStack<CurrentStackId>({
  id: 'infra-base',
  stem: 'cardinal-lakerunner-infra-base',
  aliases: [],
  title: 'Lakerunner security and storage',
  purpose:
    'Creates what the Lakerunner tiers are allowed to do and reach: the load balancer and tier security groups, the execution and task roles, the cooked bucket, and the license and admin-key secrets.',
  inclusion: 'always',
  lossOnDelete:
    'The security groups and roles; the cooked bucket and the license and admin-key secrets are retained (delete them by hand before installing again with the same names).',
  needs: [],
  after: ['vpc', 'cluster'],
  inputs: {
    VpcId: { output: ['vpc', 'VpcId'] },
    ClusterArn: { output: ['cluster', 'ClusterArn'] },
    // Must agree with the services root's scheme: one field in the plan gives both.
    AlbScheme: { sameAs: ['services', 'AlbScheme'] },
  },
  // The parameter keeps upstream's empty default; a secret cannot hold an empty string, and every
  // container needs the license, so the change set is refused without one. (LicenseSecretName is
  // never empty: the rule always applies.)
  rules: [
    {
      id: 'LicenseRequired',
      when: { key: 'LicenseSecretName', notEmpty: true },
      then: { key: 'LicenseData', notEmpty: true },
      message: 'The license token is required: download a Cardinal Data Lake license (a 60-day trial is free) and paste its z64:... token.',
    },
  ],
  parameters: PARAMETERS,
  build: () => ({
    Description:
      'Cardinal lakerunner infra base: the ALB security group and five per-tier task security groups, one shared ECS execution role, five per-tier task roles, the durable cooked bucket, and the license and admin-key secrets.',
    Conditions: {
      UseDefaultCookedBucketName: equals(ref('CookedBucketName'), ''),
      AddCookedBucketPublicAccessBlock: equals(ref('ConfigureBucketPublicAccessBlock'), 'true'),
      ...Object.fromEntries(ALB_CIDRS.map((c) => [`HasAlbCidr${c.index}`, not(equals(ref(`AlbAllowedCidr${c.index}`), ''))])),
      AlbIsInternetFacing: equals(ref('AlbScheme'), 'internet-facing'),
      HasExecutionRoleExtraPolicies: not(equals(ref('ExecutionRoleExtraPolicyArns'), '')),
      HasLicenseData: not(equals(ref('LicenseData'), '')),
    },
    Resources: { ...securityGroups(), ...roles(), ...storage() },
    Outputs: {
      AlbSecurityGroupId: output('Security group of the app load balancer.', ref('AlbSecurityGroup')),
      ...Object.fromEntries(TIERS.map((tier) => [`${tier}SecurityGroupId`, output(`Security group of the ${tier.toLowerCase()} tier.`, ref(`${tier}SecurityGroup`))])),
      ExecutionRoleArn: output('The shared ECS execution role.', getAtt('ExecutionRole', 'Arn')),
      ...Object.fromEntries(TIERS.map((tier) => [`${tier}RoleArn`, output(`Task role of the ${tier.toLowerCase()} tier.`, getAtt(`${tier}Role`, 'Arn'))])),
      CookedBucketName: output('The cooked bucket.', ref('CookedBucket')),
      LicenseSecretArn: output('The license secret.', ref('LicenseSecret')),
      AdminKeySecretArn: output('The admin API key secret.', ref('AdminKeySecret')),
    },
  }),
});
