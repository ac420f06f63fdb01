// Test fixture: the plan shapes that change the current line's templates (the console renders a
// plan's values as the parameters' defaults), with realistic ids so cfn-lint checks the values the
// properties would receive.
import type { CurrentStackId } from '../ids';

type Defaults = Partial<Record<CurrentStackId, Record<string, string>>>;

export interface PlanShape {
  name: string;
  defaults: Defaults;
}

const VPC = 'vpc-0abc1234def567890';
const PRIVATE = 'subnet-0abc1234def567890,subnet-0def5678abc123456';
const PUBLIC = 'subnet-0aaa1111bbb222333,subnet-0ccc4444ddd555666';
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner';
const ORG = '7b3d2c9e-4f1a-4e8b-9c6d-2a5f8e1b3c7d';
const SG = (n: number) => `sg-0abc1234def56789${n}`;
const TIERS = ['Migration', 'Query', 'Process', 'Control', 'Maestro'];
const tierSgs = Object.fromEntries(TIERS.map((tier, i) => [`${tier}SecurityGroupId`, SG(i)]));
const tierRoles = Object.fromEntries(TIERS.map((tier) => [`${tier}RoleArn`, `arn:aws:iam::123456789012:role/cardinal-${tier.toLowerCase()}`]));

/** A customer's VPC, cluster and the earlier stacks' outputs, as a plan on an existing network has them. */
const customer: Defaults = {
  'infra-base': { VpcId: VPC, ClusterArn: CLUSTER_ARN, LicenseSecretName: 'cardinal-license' },
  'infra-rds': { VpcId: VPC, PrivateSubnetsCsv: PRIVATE, ...tierSgs },
  'satellite-infra-base': { LakerunnerPrincipal: 'arn:aws:iam::123456789012:role/cardinal-process' },
  'satellite-services': {
    RawBucketName: 'cardinal-otel-raw-123456789012-us-east-1',
    OrganizationId: ORG,
    VpcId: VPC,
    AlbSubnetsCsv: PRIVATE,
    TaskSubnetsCsv: PRIVATE,
    EcsClusterArn: CLUSTER_ARN,
  },
  services: {
    VpcId: VPC,
    PrivateSubnets: PRIVATE,
    DbEndpoint: 'cardinal.abcdefghij12.us-east-1.rds.amazonaws.com',
    DbMasterSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cardinal-db-master-AbCdEf',
    CookedBucketName: 'cardinal-cooked-123456789012-us-east-1',
    QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/cardinal-raw',
    QueueRoleArn: 'arn:aws:iam::123456789012:role/cardinal-satellite-access',
    LicenseSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cardinal-license-AbCdEf',
    AdminKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cardinal-admin-key-AbCdEf',
    ClusterName: 'lakerunner',
    ClusterArn: CLUSTER_ARN,
    SelfTelemetryEndpoint: 'http://internal-cardinal-satellite-123.us-east-1.elb.amazonaws.com:4318',
    AlbSecurityGroupId: SG(9),
    ...tierSgs,
    ExecutionRoleArn: 'arn:aws:iam::123456789012:role/cardinal-exec',
    ...tierRoles,
    OrganizationId: ORG,
    TemplateBaseUrl: 'https://console-staging-123456789012-us-east-1.s3.us-east-1.amazonaws.com/current/v1.7.5/cardinal-lakerunner/',
  },
  cwmetrics: { RawBucketName: 'cardinal-otel-raw-123456789012-us-east-1', OrganizationId: ORG },
};

function merge(...layers: Defaults[]): Defaults {
  const out: Defaults = {};
  for (const layer of layers) {
    for (const [id, values] of Object.entries(layer) as [CurrentStackId, Record<string, string>][]) out[id] = { ...out[id], ...values };
  }
  return out;
}

export const PLAN_SHAPES: readonly PlanShape[] = [
  { name: 'template-defaults', defaults: {} },
  { name: 'existing-network', defaults: customer },
  {
    name: 'certificate-arn',
    defaults: merge(customer, { services: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789', PublicDnsName: 'lakerunner.example.com' } }),
  },
  // PEMs are NoEcho: never a default, so the template is the one without a certificate ARN.
  { name: 'certificate-pems', defaults: merge(customer, { services: { CertificateBody: '-----BEGIN CERTIFICATE-----', CertificatePrivateKey: '-----BEGIN PRIVATE KEY-----' } }) },
  {
    name: 'internet-facing',
    defaults: merge(customer, {
      'infra-base': { AlbScheme: 'internet-facing', AlbAllowedCidr2: '', AlbAllowedCidr3: '' },
      services: { AlbScheme: 'internet-facing', PublicSubnets: PUBLIC },
      'satellite-services': { AlbScheme: 'internet-facing', AlbSubnetsCsv: PUBLIC },
    }),
  },
  { name: 'maestro-off', defaults: merge(customer, { services: { DeployMaestro: 'No' } }) },
  {
    name: 'name-suffix',
    defaults: merge(customer, {
      'satellite-infra-base': { NameSuffix: 'team-b' },
      'satellite-services': { NameSuffix: 'team-b', RawBucketName: 'cardinal-otel-raw-123456789012-us-east-1-team-b' },
      cwmetrics: { NameSuffix: 'team-b', RawBucketName: 'cardinal-otel-raw-123456789012-us-east-1-team-b', ExcludeNamespace: '' },
    }),
  },
  { name: 'external-id', defaults: merge(customer, { 'satellite-infra-base': { ExternalId: 'lakerunner-7f3c', ConfigureBucketPublicAccessBlock: 'true' } }) },
  {
    name: 'proof-of-concept',
    defaults: {
      vpc: { AzCount: '3', EnvironmentName: 'acme-poc' },
      cluster: { ContainerInsights: 'enabled' },
      services: { QueryApiReplicas: '1', QueryWorkerReplicas: '1', ProcessLogsReplicas: '2', ProcessMetricsReplicas: '2', ProcessTracesReplicas: '2' },
      'infra-base': { CookedBucketName: 'acme-cooked', ConfigureBucketPublicAccessBlock: 'true', ExecutionRoleExtraPolicyArns: 'arn:aws:iam::123456789012:policy/ecr-pull-through' },
      'satellite-services': { OtelConfigYaml: 'receivers: {}\nexporters: {}\nservice: {pipelines: {}}\n' },
    },
  },
];
