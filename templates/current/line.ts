// The current release line: upstream's v1.7.5 layout (lakerunner v1.81.0), bring-your-own VPC
// and ECS cluster (or our proof-of-concept ones), infra-base, infra-rds, the satellite ingest
// stacks and the services root with seven nested children. Everything the generic code asks of
// the line is here, as data; the builders are the files beside this one.
import type { AccessPoint, DeployedView, ManualStep, OutputsById, ReleaseLine } from '../line';
import { CWMETRICS_PREFIX } from './cardinal-satellite-cwmetrics';
import { NOTIFIED_PREFIXES } from './cardinal-satellite-infra-base';
import { discoveryCurrent } from './discovery';
import { CURRENT_STACKS } from './index';
import { CURRENT_RELEASE, IMAGE_PARAMETERS } from './manifest';
import { CURRENT_PRICE_RULES } from './prices';
import { DB_SECRET_NAME } from './cardinal-lakerunner-infra-rds';

/** The first group of a stack id's UUID (arn:…:stack/<name>/<uuid>), 8 hex digits. */
export const stackIdPrefix = (arn: string | undefined): string | undefined => /:stack\/[^/]+\/([0-9a-f]{8})-/i.exec(arn ?? '')?.[1]?.toLowerCase();

function accessPoints(outputs: OutputsById, view?: DeployedView): AccessPoint[] {
  const points: AccessPoint[] = [];
  const services = outputs.services ?? {};
  const adminEmail = view?.plan.params.services?.DexAdminEmail;
  if (services.MaestroUrl) {
    points.push({ kind: 'link', label: 'Maestro', url: services.MaestroUrl });
    if (adminEmail) points.push({ kind: 'code', label: 'Maestro sign-in (Dex admin)', value: `${adminEmail}, with the password whose hash the plan gave` });
  }
  if (services.QueryApiUrl) points.push({ kind: 'code', label: 'Query API', value: services.QueryApiUrl });
  if (services.AlbDnsName && view?.plan.params.services?.PublicDnsName)
    points.push({ kind: 'code', label: `CNAME ${view.plan.params.services.PublicDnsName} to`, value: services.AlbDnsName });
  const collector = outputs['satellite-services']?.CollectorEndpoint;
  if (collector) points.push({ kind: 'code', label: 'OTLP/HTTP collector', value: collector });
  const raw = outputs['satellite-infra-base']?.RawBucketName;
  if (raw) points.push({ kind: 'bucket', label: 'Raw bucket', bucket: raw, prefixes: view?.plan.include.cwmetrics ? [...NOTIFIED_PREFIXES] : [NOTIFIED_PREFIXES[0]] });
  const cooked = outputs['infra-base']?.CookedBucketName;
  if (cooked) points.push({ kind: 'bucket', label: 'Cooked bucket', bucket: cooked, prefixes: [] });
  return points;
}

/**
 * Maestro's superadmin UI must map the satellite's raw bucket to the organization (and the
 * CloudWatch metrics prefix): until then pubsub-sqs skips every object (fact sheet §11.1).
 */
function manualSteps({ outputs, stackArns, region, plan }: DeployedView): ManualStep[] {
  const satellite = outputs['satellite-infra-base'];
  const collectorPrefix = stackIdPrefix(stackArns['satellite-services']);
  if (!satellite?.RawBucketName || !satellite.LakerunnerAccessRoleArn || !outputs.services?.MaestroUrl || !collectorPrefix) return [];
  // The satellite may be in another account (the plan's `satellite` group): its bucket and role are there.
  const elsewhere = plan.accounts?.satellite;
  const steps: ManualStep[] = [
    {
      id: 'map-raw-bucket',
      title: elsewhere ? `Map account ${elsewhere.accountId}’s raw bucket in Maestro` : 'Map the raw bucket in Maestro',
      text: `Sign in to Maestro as a superadmin and add the satellite’s raw bucket${elsewhere ? ` (in account ${elsewhere.accountId}; Lakerunner reads it through that account’s access role)` : ''} to the organization with these values. Until then Lakerunner skips every object the collector writes (pubsub-sqs logs “No storage profile”) and nothing becomes queryable.`,
      values: [
        ...(elsewhere ? [{ label: 'Account', value: elsewhere.accountId }] : []),
        { label: 'Bucket', value: satellite.RawBucketName },
        { label: 'Region', value: satellite.Region ?? region },
        { label: 'Cloud provider', value: 'aws' },
        { label: 'Role', value: satellite.LakerunnerAccessRoleArn },
        { label: 'Collector name', value: `a${collectorPrefix}` },
      ],
    },
  ];
  const organization = plan.params.services?.OrganizationId;
  if (plan.include.cwmetrics && organization)
    steps.push({
      id: 'map-cwmetrics-prefix',
      title: 'Map the CloudWatch metrics prefix in Maestro',
      text: 'In the same bucket’s settings in Maestro, add a prefix mapping so the metric stream’s objects are read as CloudWatch metrics (otherwise they are parsed as OTLP and fail).',
      values: [
        { label: 'Prefix', value: `${CWMETRICS_PREFIX}/${organization}` },
        { label: 'Format', value: 'cwmetrics' },
        { label: 'Signal', value: 'metrics' },
      ],
    });
  return steps;
}

/** The image parameters, by the stack holding them (the services root passes its own to the children). */
const IMAGE_STACKS = [
  { stack: 'services', keys: ['LakerunnerImage', 'MaestroImage', 'DexImage', 'DbInitImage'] },
  { stack: 'satellite-services', keys: ['OtelImage'] },
] as const;

const CIRCUIT_BREAKER =
  'ECS stopped the service’s new tasks again and again and rolled it back. Read the failed task’s stopped reason and its log group (/cardinal/<service> in CloudWatch Logs): for Maestro, an empty or malformed Dex admin password hash stops Dex (DeployMaestro = No recovers the root without it); for the migrator, the database was not reachable or a migration failed; for every service, an image the cluster cannot pull (a registry prefix without the execution role’s ECR permissions) or an invalid license.';

export const LINE_CURRENT: ReleaseLine = {
  id: 'current',
  title: 'Current layout',
  summary:
    'Lakerunner as upstream ships it today: your VPC and ECS cluster (or ones the console creates for a proof of concept), security and storage, PostgreSQL, a satellite collector and raw bucket, and the services with Maestro and Dex sign-in as seven nested stacks; it needs a Cardinal license.',
  release: `lakerunner ${CURRENT_RELEASE.images.lakerunner.tag}, maestro ${CURRENT_RELEASE.images.maestro.tag} (upstream ${CURRENT_RELEASE.version})`,
  stacks: CURRENT_STACKS,
  toggles: [
    {
      id: 'cluster',
      label: 'ECS cluster (proof of concept)',
      help: 'Creates an ECS cluster with the FARGATE capacity provider; turn it off to run in your own cluster (it must have FARGATE associated).',
      default: true,
    },
    {
      id: 'cwmetrics',
      label: 'CloudWatch metrics stream',
      help: "Streams this account's CloudWatch metrics into the raw bucket through a metric stream and Firehose (charged per metric update).",
      default: false,
    },
  ],
  rules: [],
  accountGroups: [
    {
      id: 'satellite',
      label: 'Put the satellite in another AWS account',
      help: 'The raw bucket, its queue, the collector (and the CloudWatch metrics stream) go to that account; its access role trusts this deployment’s process role, and the console deploys there through the role you give.',
      sameRegion:
        'The satellite must be in the deployment’s region: Lakerunner’s process tier polls the raw queue in its own region (SQS_REGION is the services stack’s region).',
    },
  ],
  network: {
    new: {
      label: 'Create a VPC for a proof of concept',
      help: 'The cardinal-poc-vpc stack makes public and private subnets over two or three Availability Zones with one NAT gateway; its outputs feed every other stack.',
    },
    existing: {
      label: 'Use your VPC',
      help: 'Give its ID, at least two private subnets in different Availability Zones with outbound access (NAT or endpoints), and public subnets for anything internet-facing.',
    },
  },
  sizes: {
    help: {
      production: 'Upstream’s defaults: two query APIs, four query workers of 4 vCPU, each processing tier autoscaling from 1 to 10 tasks, and a db.r7g.large database.',
      'proof-of-concept': 'The smallest that runs everything: one query API and one query worker, each processing tier autoscaling from 1 to 2 tasks, and a db.t4g.medium database.',
    },
    where: 'the services and database stacks',
  },
  exposure: [
    {
      stack: 'services',
      scheme: 'AlbScheme',
      certificate: 'CertificateArn',
      message:
        'The load balancer is internet-facing without a certificate ARN: unless you paste a PEM certificate, the console gives it a self-signed certificate, which browsers warn about and which does not prove to users that they reach your Maestro. Give a certificate ARN for your public DNS name, or keep the load balancer internal.',
    },
  ],
  operations: {
    images: IMAGE_STACKS,
    settings: {
      services: ['AlbScheme', 'PublicDnsName', 'CertificateArn', 'OidcSuperadminEmails', 'DeployMaestro'],
      'infra-base': ['AlbAllowedCidr1', 'AlbAllowedCidr2', 'AlbAllowedCidr3', 'ExecutionRoleExtraPolicyArns'],
      'satellite-services': ['IngestSourceCidr', 'ExecutionRoleExtraPolicyArns'],
      'infra-rds': ['DBEngineVersion'],
    },
    teardownNote:
      'Deletes every stack of this deployment, the last one first (the CloudWatch metrics stream before the raw bucket it writes to; the services’ nested stacks with their root). The raw bucket is emptied just before its stack is deleted, a step the preview shows: its objects are gone for good. The database is snapshotted. Kept: the cooked bucket (Retain), and the secrets cardinal-license, cardinal-admin-key and cardinal-db-master, whose fixed names block installing again in this account and region until they are force-deleted.',
    teardown: {
      emptyBuckets: [{ stack: 'satellite-infra-base', output: 'RawBucketName', label: 'raw bucket', namePattern: 'cardinal-otel-raw-*' }],
      retainedSecrets: [
        { stack: 'infra-base', key: 'LicenseSecretName' },
        { stack: 'infra-base', key: 'AdminKeySecretName' },
        { stack: 'infra-rds', name: DB_SECRET_NAME },
      ],
      secretsNote:
        'Also force-delete the retained secrets (the license, the admin API key and the database master password) with no recovery window, so Lakerunner can be installed again in this account and region. They cannot be restored: keep the license token elsewhere. Without this, delete them by hand before installing again (aws secretsmanager delete-secret --force-delete-without-recovery --secret-id <name>).',
    },
    addons: [
      {
        stack: 'cwmetrics',
        title: 'CloudWatch metrics stream',
        summary:
          'Streams this account’s CloudWatch metrics into the satellite’s raw bucket (a metric stream and Firehose, charged per metric update). Removing it deletes only its stack; the metrics it already wrote stay in the raw bucket.',
        settings: [
          {
            key: 'ExcludeNamespace',
            // CloudWatch namespaces: letters, digits and . - _ / # : and spaces, up to 255, not starting with a colon.
            pattern: /^(?!:)(?=.*\S)[A-Za-z0-9._\-/#: ]{1,255}$/,
            message: 'Excluded namespace must be one CloudWatch namespace such as AWS/Usage: letters, digits and . - _ / # : or spaces, up to 255 characters, not starting with a colon.',
          },
        ],
      },
    ],
  },
  environment: {
    vpc: [
      { stack: 'infra-base', key: 'VpcId' },
      { stack: 'infra-rds', key: 'VpcId' },
      { stack: 'satellite-services', key: 'VpcId' },
      { stack: 'services', key: 'VpcId' },
    ],
    privateSubnets: [
      { stack: 'infra-rds', key: 'PrivateSubnetsCsv' },
      { stack: 'satellite-services', key: 'TaskSubnetsCsv' },
      { stack: 'satellite-services', key: 'AlbSubnetsCsv', when: { key: 'AlbScheme', equals: 'internal' } },
      { stack: 'services', key: 'PrivateSubnets' },
    ],
    publicSubnets: [
      { stack: 'satellite-services', key: 'AlbSubnetsCsv', when: { key: 'AlbScheme', equals: 'internet-facing' } },
      { stack: 'services', key: 'PublicSubnets', when: { key: 'AlbScheme', equals: 'internet-facing' } },
    ],
    cluster: [
      { stack: 'infra-base', key: 'ClusterArn' },
      { stack: 'satellite-services', key: 'EcsClusterArn' },
      { stack: 'services', key: 'ClusterName' },
      { stack: 'services', key: 'ClusterArn' },
    ],
  },
  releases: {
    builtIn: CURRENT_RELEASE,
    images: IMAGE_STACKS.flatMap(({ stack, keys }) => keys.map((parameter) => ({ stack, parameter, image: IMAGE_PARAMETERS[parameter]! }))),
  },
  discovery: discoveryCurrent(CURRENT_STACKS),
  accessPoints,
  manualSteps,
  accessSummary: 'Maestro, the query API, the collector and the raw and cooked buckets',
  rootCauseHints: [
    ...(['satellite-services', 'services'] as const).map((stack) => ({
      stack,
      resourceType: 'AWS::ECS::Service',
      reason: /capacity provider.*not associated|not associated with the cluster/i,
      guidance:
        'The ECS cluster does not have the FARGATE capacity provider associated, which every Lakerunner service asks for. Associate FARGATE with the cluster (aws ecs put-cluster-capacity-providers --cluster <name> --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE,weight=1), or let the console create its proof-of-concept cluster, then resume.',
    })),
    ...(['satellite-services', 'services'] as const).map((stack) => ({ stack, resourceType: 'AWS::ECS::Service', reason: /circuit breaker/i, guidance: CIRCUIT_BREAKER })),
    {
      stack: 'infra-base',
      resourceType: 'AWS::SecretsManager::Secret',
      reason: /SecretString|must not be empty|length/i,
      guidance: 'The license secret cannot be empty: give the license token (LicenseData) — download a Cardinal Data Lake trial license if you have none — and resume.',
    },
    {
      stack: 'infra-base',
      resourceType: 'AWS::SecretsManager::Secret',
      reason: /already exists|scheduled for deletion/i,
      guidance:
        'A secret with this fixed name is left from an earlier install (a teardown keeps cardinal-license, cardinal-admin-key and cardinal-db-master): force-delete it (aws secretsmanager delete-secret --force-delete-without-recovery --secret-id <name>), or choose other secret names, then resume.',
    },
    {
      stack: 'infra-rds',
      resourceType: 'AWS::SecretsManager::Secret',
      reason: /already exists|scheduled for deletion/i,
      guidance: 'The cardinal-db-master secret is left from an earlier install: force-delete it (aws secretsmanager delete-secret --force-delete-without-recovery --secret-id cardinal-db-master), then resume.',
    },
    {
      stack: 'services',
      resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
      reason: /certificate/i,
      guidance:
        'The HTTPS listeners got no valid certificate: give a certificate ARN (ACM or IAM) or a PEM certificate with its key; with neither, the console generates a self-signed one only when it creates the stack, so delete the failed stack or give one, then resume.',
    },
    {
      stack: 'services',
      resourceType: 'AWS::ServiceDiscovery::PrivateDnsNamespace',
      reason: /already exists|conflicting/i,
      guidance: 'Another install in this VPC already has a Cloud Map namespace of this name: choose another ServiceNamespaceName, or remove the other install, then resume.',
    },
  ],
  priceRules: CURRENT_PRICE_RULES,
};
