// cardinal-lakerunner-services: the application root. It owns only the Cloud Map namespace and
// loads seven nested children from TemplateBaseUrl; every role, security group, secret, bucket
// and queue arrives as a parameter wired from an earlier stack's outputs.
import { equals, getAtt, ifThen, join, not, ref, sub, type Expr } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { defineStack } from '../stack';
import { nestedStack, renderChild, type ChildDefinition } from './child';
import { albChild } from './cardinal-lakerunner/alb';
import { certChild } from './cardinal-lakerunner/cert';
import { inputs as childInputs } from './cardinal-lakerunner/common';
import { maestroChild, maestroSettings } from './cardinal-lakerunner/maestro';
import { migrationChild } from './cardinal-lakerunner/migration';
import { PROCESS_WORKERS, servicesProcessChild } from './cardinal-lakerunner/services-process';
import { servicesControlChild } from './cardinal-lakerunner/services-control';
import { servicesQueryChild } from './cardinal-lakerunner/services-query';
import { CURRENT_RELEASE } from './manifest';
import { albSchemeParam, cardinalTags, installIdLong, installIdShort, inputParam, organizationIdParam, switchParam, TIERS, vpcIdParam } from './shared';
import type { CurrentStackId } from './ids';

/** The children in the order the root declares them. */
export const SERVICES_CHILDREN: readonly ChildDefinition[] = [
  certChild,
  albChild,
  migrationChild,
  servicesQueryChild,
  servicesProcessChild,
  servicesControlChild,
  maestroChild,
];

/** Where upstream publishes this release's children; the console passes its own copy instead. */
export const UPSTREAM_TEMPLATE_BASE_URL = `https://cardinal-cfn-us-east-1.s3.us-east-1.amazonaws.com/lakerunner/${CURRENT_RELEASE.version}/cardinal-lakerunner/`;

const NETWORKING = 'Networking';
const OUTPUTS = 'Infrastructure-stack outputs';
const SECURITY = 'Security-tier inputs';
const SIZING = 'Sizing';
const IMAGES = 'Images';
const ADVANCED = 'Advanced';

/** A child's parameter declared again on the root, with the root's group (and any other override). */
function fromChild(child: ChildDefinition, key: string, overrides: Partial<Omit<ParamSpec, 'key' | 'type'>>): ParamSpec {
  const spec = child.parameters.find((p) => p.key === key);
  if (!spec) throw new Error(`${child.meta.id} declares no parameter ${key}`);
  return { ...spec, ...overrides };
}

const pem = (key: string, label: string, description: string): ParamSpec => ({ ...fromChild(certChild, key, { group: NETWORKING }), label, description });

const PARAMETERS: ParamSpec[] = [
  // Networking
  vpcIdParam('VPC of the services, their load balancer and the Cloud Map namespace.'),
  {
    key: 'PrivateSubnets',
    type: 'List<AWS::EC2::Subnet::Id>',
    label: 'Private subnets',
    description: 'At least two private subnets in different Availability Zones: every task runs there, and so does the load balancer when internal.',
    group: NETWORKING,
    minItems: 2,
    distinctItems: true,
    constraintDescription: 'Private subnets must list at least two different subnet IDs, such as subnet-0abc1234def567890,subnet-0def5678abc123456.',
  },
  albSchemeParam(
    'Whether the app load balancer (Maestro, the query API, the admin API) is reachable only inside the VPC (internal) or from the internet (internet-facing, in the public subnets); it must match the scheme given to cardinal-lakerunner-infra-base.',
  ),
  {
    key: 'PublicSubnets',
    type: 'CommaDelimitedList',
    label: 'Public subnets',
    description: 'Public subnets in at least two Availability Zones for an internet-facing load balancer; leave empty when it is internal.',
    group: NETWORKING,
    default: '',
    minItems: 2,
    distinctItems: true,
  },
  {
    key: 'ServiceNamespaceName',
    type: 'String',
    label: 'Service namespace',
    description: 'Name of the Cloud Map private DNS namespace (a Route 53 private zone on the VPC) the services find each other in.',
    group: NETWORKING,
    default: 'cardinal.local',
    allowedPattern: '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$',
    constraintDescription: 'Service namespace must be up to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.',
  },
  {
    key: 'PublicDnsName',
    type: 'String',
    label: 'Public DNS name',
    description:
      "Host name users reach Maestro by, such as lakerunner.example.com, pointed at the load balancer (the AlbDnsName output) with a CNAME; it sets the sign-in URLs and must be covered by the certificate. Empty uses the load balancer's own DNS name.",
    group: NETWORKING,
    default: '',
  },
  fromChild(certChild, 'CertificateArn', {
    label: 'Certificate ARN',
    description: 'ARN of an ACM or IAM certificate for the HTTPS listeners (443 and 9443); empty builds an IAM server certificate from the PEMs below.',
    group: NETWORKING,
  }),
  pem('CertificateBody', 'Certificate (PEM)', 'PEM-encoded leaf certificate, used when no certificate ARN is given; the console generates a self-signed one when neither is given.'),
  pem('CertificatePrivateKey', 'Private key (PEM)', 'PEM-encoded unencrypted private key of the certificate, given with it.'),
  pem('CertificateChain', 'Certificate chain (PEM)', 'PEM-encoded intermediate certificates of the certificate; empty when its issuer needs none.'),
  // Infrastructure-stack outputs
  inputParam('DbEndpoint', 'Database endpoint', 'Host name of the PostgreSQL instance (the DbEndpoint output of cardinal-lakerunner-infra-rds).', { group: OUTPUTS }),
  childInputs.dbPort({ group: OUTPUTS }),
  inputParam('DbName', 'Database name', 'Name of the Lakerunner database the migrator migrates (the DbName output of cardinal-lakerunner-infra-rds).', {
    group: OUTPUTS,
    default: 'lakerunner',
  }),
  inputParam('DbMasterSecretArn', 'Database secret ARN', 'ARN of the cardinal-db-master secret (the DbMasterSecretArn output of cardinal-lakerunner-infra-rds).', { group: OUTPUTS }),
  inputParam('CookedBucketName', 'Cooked bucket name', 'Name of the cooked bucket (the CookedBucketName output of cardinal-lakerunner-infra-base).', { group: OUTPUTS }),
  inputParam('QueueUrl', 'Queue URL', "URL of the satellite's raw-ingest queue pubsub-sqs polls (the RawQueueUrl output of cardinal-satellite-infra-base); empty leaves pubsub-sqs idle.", {
    group: OUTPUTS,
    default: '',
  }),
  inputParam('QueueRoleArn', 'Queue role ARN', "ARN of the satellite's access role pubsub-sqs assumes (the LakerunnerAccessRoleArn output of cardinal-satellite-infra-base).", {
    group: OUTPUTS,
    default: '',
  }),
  inputParam('LicenseSecretArn', 'License secret ARN', 'ARN of the cardinal-license secret (the LicenseSecretArn output of cardinal-lakerunner-infra-base).', { group: OUTPUTS }),
  inputParam('AdminKeySecretArn', 'Admin key secret ARN', 'ARN of the cardinal-admin-key secret (the AdminKeySecretArn output of cardinal-lakerunner-infra-base).', { group: OUTPUTS }),
  inputParam('ClusterName', 'ECS cluster name', 'Name of the ECS cluster the services run in; it needs the FARGATE capacity provider associated.', { group: OUTPUTS }),
  inputParam('ClusterArn', 'ECS cluster ARN', 'ARN of the same ECS cluster.', { group: OUTPUTS }),
  inputParam(
    'SelfTelemetryEndpoint',
    'Self-telemetry endpoint',
    "OTLP/HTTP endpoint for Lakerunner's own telemetry, such as the CollectorEndpoint output of cardinal-satellite-services (http://<alb>:4318); empty sends none.",
    { group: OUTPUTS, default: '', format: 'http-url' },
  ),
  // Security-tier inputs
  inputParam('AlbSecurityGroupId', 'Load balancer security group', 'Security group of the app load balancer (from cardinal-lakerunner-infra-base).', {
    group: SECURITY,
    type: 'AWS::EC2::SecurityGroup::Id',
  }),
  ...TIERS.map((tier) =>
    inputParam(`${tier}SecurityGroupId`, `${tier} security group`, `Security group of the ${tier.toLowerCase()} tier's tasks (from cardinal-lakerunner-infra-base).`, {
      group: SECURITY,
      type: 'AWS::EC2::SecurityGroup::Id',
    }),
  ),
  inputParam('ExecutionRoleArn', 'Execution role ARN', 'ARN of the shared ECS execution role (from cardinal-lakerunner-infra-base).', { group: SECURITY }),
  ...TIERS.map((tier) =>
    inputParam(`${tier}RoleArn`, `${tier} role ARN`, `ARN of the ${tier.toLowerCase()} tier's task role (from cardinal-lakerunner-infra-base).`, { group: SECURITY }),
  ),
  // Sizing
  fromChild(servicesQueryChild, 'QueryApiReplicas', { group: SIZING, proofOfConcept: '1' }),
  fromChild(servicesQueryChild, 'QueryApiCpu', { group: SIZING }),
  fromChild(servicesQueryChild, 'QueryApiMemory', { group: SIZING }),
  fromChild(servicesQueryChild, 'QueryWorkerReplicas', { group: SIZING, proofOfConcept: '1' }),
  fromChild(servicesQueryChild, 'QueryWorkerCpu', { group: SIZING }),
  fromChild(servicesQueryChild, 'QueryWorkerMemory', { group: SIZING }),
  ...PROCESS_WORKERS.flatMap((w) => [
    fromChild(servicesProcessChild, `${w.id}Replicas`, { group: SIZING, proofOfConcept: '2' }),
    fromChild(servicesProcessChild, `${w.id}Memory`, { group: SIZING }),
  ]),
  fromChild(servicesProcessChild, 'PubsubSqsReplicas', { group: SIZING }),
  maestroSettings.taskCpu({ group: SIZING }),
  maestroSettings.taskMemory({ group: SIZING }),
  maestroSettings.dexClientId({ group: SIZING }),
  maestroSettings.recoverFromDirty({ group: SIZING }),
  // Images
  childInputs.lakerunnerImage({ group: IMAGES, mirrorable: true }),
  maestroSettings.maestroImage({ group: IMAGES, mirrorable: true }),
  maestroSettings.dexImage({ group: IMAGES, mirrorable: true }),
  childInputs.dbInitImage({ group: IMAGES, mirrorable: true }),
  // Advanced
  switchParam(
    'DeployMaestro',
    'Deploy Maestro',
    'Yes deploys Maestro and Dex (the UI and sign-in); No leaves the Maestro child out, a way to recover a stack whose Maestro child keeps failing.',
    ['Yes', 'No'],
    'Yes',
  ),
  maestroSettings.dexAdminEmail({ group: ADVANCED }),
  maestroSettings.dexAdminPasswordHash({ group: ADVANCED, generate: 'password-bcrypt', keepOutOfDownloads: true }),
  maestroSettings.dexExtraUsers({ group: ADVANCED }),
  maestroSettings.oidcSuperadminEmails({ group: ADVANCED }),
  organizationIdParam('UUID of the install’s organization; every satellite’s OrganizationId must equal it.', { group: ADVANCED, generate: 'uuid' }),
  maestroSettings.orgName({ group: ADVANCED }),
  {
    key: 'TemplateBaseUrl',
    type: 'String',
    label: 'Nested template base URL',
    description:
      "HTTPS URL of the folder holding this release's nested templates, ending in a slash; the console publishes its own and passes it, a mirror serves air-gapped installs.",
    group: ADVANCED,
    default: UPSTREAM_TEMPLATE_BASE_URL,
    allowedPattern: '^https://.+/$',
    constraintDescription: 'Nested template base URL must be an https:// URL ending in a slash.',
  },
];

const csv = (list: string) => join(',', ref(list));
const childOutput = (child: ChildDefinition, output: string) => getAtt(child.meta.logicalId, `Outputs.${output}`);
/** Parameters passed to a child under the same name. */
const same = (...keys: string[]): Record<string, Expr> => Object.fromEntries(keys.map((key) => [key, ref(key)]));

function childResources() {
  const ids = { InstallIdShort: installIdShort(), InstallIdLong: installIdLong() };
  const migrated = { MigrationComplete: childOutput(migrationChild, 'MigrationServiceArn') };
  const tier = (tierName: (typeof TIERS)[number]) => ({
    ...ids,
    ClusterArn: ref('ClusterArn'),
    TaskSecurityGroupId: ref(`${tierName}SecurityGroupId`),
    ExecutionRoleArn: ref('ExecutionRoleArn'),
    TaskRoleArn: ref(`${tierName}RoleArn`),
    PrivateSubnetsCsv: csv('PrivateSubnets'),
  });
  const data = {
    ...same('DbEndpoint', 'DbPort', 'LicenseSecretArn', 'SelfTelemetryEndpoint'),
    DbSecretArn: ref('DbMasterSecretArn'),
    BucketName: ref('CookedBucketName'),
    SelfTelemetryEnabled: ifThen('SelfTelemetryOn', 'true', 'false'),
    ...migrated,
  };
  const httpsListener = { HttpsListenerArn: childOutput(albChild, 'HttpsListenerArn') };
  const sizing = (child: ChildDefinition) => same(...child.parameters.filter((p) => p.group.endsWith('tunables')).map((p) => p.key));
  return {
    Cert: nestedStack(certChild, { ...ids, ...same('CertificateArn', 'CertificateBody', 'CertificatePrivateKey', 'CertificateChain') }),
    Alb: nestedStack(albChild, {
      ...ids,
      VpcId: ref('VpcId'),
      AlbSubnetsCsv: ifThen('AlbIsInternetFacing', csv('PublicSubnets'), csv('PrivateSubnets')),
      Scheme: ref('AlbScheme'),
      AlbSgId: ref('AlbSecurityGroupId'),
      CertificateArn: childOutput(certChild, 'EffectiveCertificateArn'),
    }),
    Migration: nestedStack(migrationChild, {
      ...tier('Migration'),
      ...same('ClusterName', 'DbEndpoint', 'DbPort', 'DbName', 'LakerunnerImage', 'DbInitImage'),
      DbSecretArn: ref('DbMasterSecretArn'),
    }),
    Query: nestedStack(servicesQueryChild, {
      ...tier('Query'),
      ...data,
      ...httpsListener,
      ...same('ClusterName', 'VpcId', 'LakerunnerImage'),
      ServiceNamespaceId: getAtt('ServiceNamespace', 'Id'),
      ...sizing(servicesQueryChild),
    }),
    Process: nestedStack(servicesProcessChild, {
      ...tier('Process'),
      ...data,
      ...same('ClusterName', 'LakerunnerImage'),
      ...sizing(servicesProcessChild),
    }),
    Control: nestedStack(servicesControlChild, {
      ...tier('Control'),
      ...data,
      ...httpsListener,
      ...same('ClusterName', 'VpcId', 'ServiceNamespaceName', 'LakerunnerImage'),
      AdminHttpsListenerArn: childOutput(albChild, 'AdminHttpsListenerArn'),
      AdminApiKeySecretArn: ref('AdminKeySecretArn'),
      ServiceNamespaceId: getAtt('ServiceNamespace', 'Id'),
    }),
    Maestro: nestedStack(
      maestroChild,
      {
        ...tier('Maestro'),
        ...httpsListener,
        ...migrated,
        ...same('VpcId', 'ServiceNamespaceName', 'DbEndpoint', 'DbPort', 'LicenseSecretArn', 'MaestroImage', 'DexImage', 'DbInitImage'),
        ...same('OrganizationId', 'OrgName', 'MaestroTaskCpu', 'MaestroTaskMemory', 'McpMigrateRecoverFromDirty'),
        ...same('DexClientId', 'DexAdminEmail', 'DexAdminPasswordHash', 'DexExtraUsers', 'OidcSuperadminEmails'),
        AlbDnsName: publicHost(),
        BucketName: ref('CookedBucketName'),
        DbSecretArn: ref('DbMasterSecretArn'),
        AdminApiKeySecretArn: ref('AdminKeySecretArn'),
      },
      { condition: 'DeployMaestroEnabled' },
    ),
  };
}

/** The host users reach: the public DNS name when set, else the load balancer's. */
const publicHost = () => ifThen('PublicDnsNameSet', ref('PublicDnsName'), childOutput(albChild, 'AlbDnsName'));

export const servicesStack = defineStack<CurrentStackId>({
  id: 'services',
  stem: 'cardinal-lakerunner-services',
  aliases: [],
  title: 'Lakerunner services',
  purpose:
    'Runs Lakerunner and Maestro on ECS Fargate as seven nested stacks: the certificate, the load balancer, the database migration, the query, process and control tiers, and Maestro with Dex sign-in.',
  inclusion: 'always',
  lossOnDelete:
    'The services, their load balancer, log groups and Cloud Map namespace; the data stays in the database and the cooked bucket, and a new load balancer gets a new DNS name.',
  needs: [],
  after: ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services'],
  inputs: {
    VpcId: { output: ['vpc', 'VpcId'] },
    PrivateSubnets: { output: ['vpc', 'PrivateSubnetsCsv'] },
    PublicSubnets: { output: ['vpc', 'PublicSubnetsCsv'] },
    DbEndpoint: { output: ['infra-rds', 'DbEndpoint'] },
    DbPort: { output: ['infra-rds', 'DbPort'] },
    DbName: { output: ['infra-rds', 'DbName'] },
    DbMasterSecretArn: { output: ['infra-rds', 'DbMasterSecretArn'] },
    CookedBucketName: { output: ['infra-base', 'CookedBucketName'] },
    // The queue and its role may be in the satellite's account: pubsub-sqs assumes the role to poll it.
    QueueUrl: { output: ['satellite-infra-base', 'RawQueueUrl'], acrossAccounts: true },
    QueueRoleArn: { output: ['satellite-infra-base', 'LakerunnerAccessRoleArn'], acrossAccounts: true },
    LicenseSecretArn: { output: ['infra-base', 'LicenseSecretArn'] },
    AdminKeySecretArn: { output: ['infra-base', 'AdminKeySecretArn'] },
    ClusterName: { output: ['cluster', 'ClusterName'] },
    ClusterArn: { output: ['cluster', 'ClusterArn'] },
    SelfTelemetryEndpoint: { output: ['satellite-services', 'CollectorEndpoint'], acrossAccounts: true },
    AlbSecurityGroupId: { output: ['infra-base', 'AlbSecurityGroupId'] },
    ExecutionRoleArn: { output: ['infra-base', 'ExecutionRoleArn'] },
    ...Object.fromEntries(
      TIERS.flatMap((tier) => [
        [`${tier}SecurityGroupId`, { output: ['infra-base', `${tier}SecurityGroupId`] as const }],
        [`${tier}RoleArn`, { output: ['infra-base', `${tier}RoleArn`] as const }],
      ]),
    ),
  },
  rules: [
    {
      id: 'InternetFacingNeedsPublicSubnets',
      when: { key: 'AlbScheme', equals: 'internet-facing' },
      then: { key: 'PublicSubnets', notEmpty: true },
      message: 'An internet-facing load balancer needs public subnets: list at least two, or choose the internal scheme.',
    },
    // Dex refuses to start without the hash, and the Maestro child then rolls the whole root back.
    {
      id: 'MaestroNeedsAdminPasswordHash',
      when: { key: 'DeployMaestro', equals: 'Yes' },
      then: { key: 'DexAdminPasswordHash', notEmpty: true },
      message: "Maestro's sign-in needs the admin's password hash (bcrypt): give one, or let the console generate a password.",
    },
    {
      id: 'CertificateNeedsPrivateKey',
      when: { key: 'CertificateBody', notEmpty: true },
      then: { key: 'CertificatePrivateKey', notEmpty: true },
      message: 'A PEM certificate needs its private key: paste both, or give a certificate ARN instead.',
    },
  ],
  parameters: PARAMETERS,
  // As upstream's services driver does: the listeners fail on an empty certificate ARN, and a
  // certificate made on every update would replace the listeners' (fact sheet §10.4).
  generatedOnCreate: [
    {
      kind: 'self-signed-certificate',
      unless: ['CertificateArn', 'CertificateBody'],
      certificate: 'CertificateBody',
      privateKey: 'CertificatePrivateKey',
      commonName: 'cardinal.test',
      altNames: ['cardinal.test', '*.cardinal.internal'],
      days: 825,
    },
  ],
  children: SERVICES_CHILDREN.map((child) => child.meta),
  buildChildren: () => Object.fromEntries(SERVICES_CHILDREN.map((child) => [child.meta.id, renderChild(child)])),
  build: () => ({
    Description: `Cardinal Lakerunner services (application-tier) stack (${CURRENT_RELEASE.version}).`,
    Conditions: {
      DeployMaestroEnabled: equals(ref('DeployMaestro'), 'Yes'),
      SelfTelemetryOn: not(equals(ref('SelfTelemetryEndpoint'), '')),
      PublicDnsNameSet: not(equals(ref('PublicDnsName'), '')),
      AlbIsInternetFacing: equals(ref('AlbScheme'), 'internet-facing'),
    },
    Resources: {
      // A Route 53 private hosted zone on the VPC: one namespace of this name per VPC.
      ServiceNamespace: {
        Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace',
        Properties: {
          Name: ref('ServiceNamespaceName'),
          Vpc: ref('VpcId'),
          Description: 'Cardinal in-cluster service discovery namespace.',
          Tags: cardinalTags('cardinal-service-namespace', 'service-discovery', 'cardinal-cfn'),
        },
      },
      ...childResources(),
    },
    Outputs: {
      InstallIdShort: { Description: 'The 8-hex install ID in the Name tags of the children.', Value: installIdShort() },
      InstallIdLong: { Description: 'The 12-hex install ID.', Value: installIdLong() },
      AlbDnsName: { Description: 'DNS name of the app load balancer: the target of the public DNS name.', Value: childOutput(albChild, 'AlbDnsName') },
      QueryApiUrl: { Description: 'Base URL of the query API.', Value: sub('https://${Host}/api/v1/query/', { Host: publicHost() }) },
      MaestroUrl: { Description: 'Where users sign in to Maestro.', Condition: 'DeployMaestroEnabled', Value: childOutput(maestroChild, 'MaestroUrl') },
    },
  }),
});
