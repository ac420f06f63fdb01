// lakerunner-services (alias lakerunner-ecs-services): the nine Lakerunner ECS Fargate services,
// generated from one table so the template stays well under CloudFormation's TemplateBody limit.
// query-api joins the common load balancer on port 7101; every task mounts /scratch from EFS.
import { exported, equals, getAtt, lifecycle, not, ref, sub, tags, type Expr, type Resource } from '@/lib/cfn/template';
import { databaseEnvironment, QUERY_API_PORT } from './common';
import {
  allow,
  containerDefinition,
  curlHealthCheck,
  ECS_EXEC_STATEMENT,
  efsClientStatement,
  efsVolume,
  environment,
  executionRole,
  fargateService,
  forwardRule,
  fromCommon,
  ipTargetGroup,
  logGroup,
  policyDocument,
  secretKey,
  secrets,
  taskDefinition,
  taskRole,
  taskSubnets,
  taskVolume,
  type HealthCheckCommand,
} from './ecs';
import type { ParamSpec } from '@/lib/params/spec';
import { commonInfraStackName, IMAGES, imageParam, taskCountParam } from './shared';
import { defineStack } from './stack';

type Role = 'TaskRole' | 'QueryApiTaskRole' | 'QueryWorkerTaskRole';
type Image = 'GoServicesImage' | 'QueryApiImage' | 'QueryWorkerImage';

export interface ServiceRow {
  /** Logical-id prefix: <id>Logs, <id>Task, <id>Service. */
  id: string;
  /** Service name without the lakerunner- prefix. */
  name: string;
  image: Image;
  /** Arguments to /app/bin/lakerunner; none runs the image's default command. */
  command?: string[];
  cpu: number;
  memory: number;
  replicas: number;
  port?: number;
  healthCheck: HealthCheckCommand;
  role: Role;
}

const GO_HEALTH: HealthCheckCommand = ['CMD', '/app/bin/lakerunner', 'sysinfo'];
const QUERY_HEALTH = curlHealthCheck(QUERY_API_PORT, '/ready');
const go = (id: string, name: string, command: string[], replicas: number, cpu = 1024, memory = 2048): ServiceRow => ({
  id,
  name,
  image: 'GoServicesImage',
  command,
  cpu,
  memory,
  replicas,
  healthCheck: GO_HEALTH,
  role: 'TaskRole',
});

export const QUERY_WORKERS = 8;

/** The parameter holding a service's task count, e.g. QueryWorkerCount. */
export const countKey = (row: Pick<ServiceRow, 'id'>) => `${row.id}Count`;

export const SERVICES: readonly ServiceRow[] = [
  go('PubsubSqs', 'pubsub-sqs', ['pubsub', 'sqs'], 1),
  go('IngestLogs', 'ingest-logs', ['ingest-logs'], 2),
  go('IngestMetrics', 'ingest-metrics', ['ingest-metrics'], 1),
  go('CompactLogs', 'compact-logs', ['compact-logs'], 4),
  go('CompactMetrics', 'compact-metrics', ['compact-metrics'], 1),
  go('RollupMetrics', 'rollup-metrics', ['rollup-metrics'], 1),
  go('Sweeper', 'sweeper', ['sweeper'], 1, 256, 512),
  {
    id: 'QueryApi',
    name: 'query-api',
    image: 'QueryApiImage',
    cpu: 2048,
    memory: 8192,
    replicas: 1,
    port: QUERY_API_PORT,
    healthCheck: QUERY_HEALTH,
    role: 'QueryApiTaskRole',
  },
  {
    id: 'QueryWorker',
    name: 'query-worker',
    image: 'QueryWorkerImage',
    cpu: 2048,
    memory: 8192,
    replicas: QUERY_WORKERS,
    port: QUERY_API_PORT,
    healthCheck: QUERY_HEALTH,
    role: 'QueryWorkerTaskRole',
  },
];

const isQuery = (row: ServiceRow) => row.image !== 'GoServicesImage';

function serviceEnvironment(row: ServiceRow): Expr[] {
  const query: Record<string, Expr> = isQuery(row)
    ? { EXECUTION_ENVIRONMENT: 'ecs', METRIC_PREFIX: `lakerunner-${row.name}`, SPRING_PROFILES_ACTIVE: 'aws' }
    : {};
  // query-api finds its workers through ECS; the generated service name comes from the resource.
  const discovery: Record<string, Expr> =
    row.id === 'QueryApi'
      ? {
          ECS_WORKER_SERVICE_NAME: getAtt('QueryWorkerService', 'Name'),
          QUERY_WORKER_CLUSTER_NAME: fromCommon('ClusterName'),
          QUERY_STACK: 'local',
          NUM_MIN_QUERY_WORKERS: ref('QueryWorkerCount'),
          NUM_MAX_QUERY_WORKERS: ref('QueryWorkerCount'),
        }
      : {};
  return environment(
    {
      OTEL_SERVICE_NAME: `lakerunner-${row.name}`,
      TMPDIR: '/scratch',
      HOME: '/scratch',
      STORAGE_PROFILE_FILE: 'env:STORAGE_PROFILES_ENV',
      API_KEYS_FILE: 'env:API_KEYS_ENV',
      SQS_QUEUE_URL: fromCommon('QueueUrl'),
      SQS_REGION: ref('AWS::Region'),
      ...databaseEnvironment('LRDB'),
      ...databaseEnvironment('CONFIGDB'),
      ...query,
      ...discovery,
    },
    [
      { condition: 'EnableOtlp', name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: ref('OtelEndpoint') },
      { condition: 'EnableOtlp', name: 'ENABLE_OTLP_TELEMETRY', value: 'true' },
    ],
  );
}

function serviceSecrets(row: ServiceRow): Expr[] {
  return secrets({
    STORAGE_PROFILES_ENV: fromCommon('StorageProfilesParameterArn'),
    API_KEYS_ENV: fromCommon('ApiKeysSecretArn'),
    LRDB_PASSWORD: secretKey(fromCommon('DbSecretArn'), 'password'),
    CONFIGDB_PASSWORD: secretKey(fromCommon('DbSecretArn'), 'password'),
    ...(isQuery(row) ? { TOKEN_HMAC256_KEY: secretKey(ref('TokenSecret'), 'token_hmac256_key') } : {}),
  });
}

function serviceResources(row: ServiceRow): Record<string, Resource> {
  const onAlb = row.id === 'QueryApi';
  return {
    [`${row.id}Logs`]: logGroup('Delete'),
    [`${row.id}Task`]: taskDefinition({
      cpu: row.cpu,
      memory: row.memory,
      executionRoleArn: getAtt('ExecutionRole', 'Arn'),
      taskRoleArn: getAtt(row.role, 'Arn'),
      arm64: true,
      volumes: [
        efsVolume('scratch', fromCommon('EfsId'), fromCommon('ScratchAccessPointId')),
        ...(isQuery(row) ? [taskVolume('db')] : []),
      ],
      containers: [
        containerDefinition({
          name: 'app',
          image: ref(row.image),
          user: '0',
          logGroup: `${row.id}Logs`,
          streamPrefix: row.name,
          command: row.command ? ['/app/bin/lakerunner', ...row.command] : undefined,
          environment: serviceEnvironment(row),
          secrets: serviceSecrets(row),
          ports: row.port ? [row.port] : undefined,
          healthCheck: row.healthCheck,
          healthCheckStartPeriod: isQuery(row) ? 120 : 60,
          mounts: [{ volume: 'scratch', path: '/scratch' }, ...(isQuery(row) ? [{ volume: 'db', path: '/db' }] : [])],
        }),
      ],
    }),
    [`${row.id}Service`]: fargateService({
      cluster: fromCommon('ClusterArn'),
      taskDefinition: `${row.id}Task`,
      desiredCount: ref(countKey(row)),
      subnets: taskSubnets(),
      securityGroups: [fromCommon('TaskSecurityGroupId')],
      ...(onAlb
        ? {
            loadBalancers: [{ container: 'app', port: QUERY_API_PORT, targetGroup: 'QueryApiTargetGroup' }],
            dependsOn: ['QueryApiRule'],
            gracePeriod: 180,
          }
        : {}),
    }),
  };
}

function roles(): Record<string, Resource> {
  const bucketArn = fromCommon('BucketArn');
  const shared = [ref('TaskAccessPolicy')];
  return {
    ExecutionRole: executionRole([
      allow(['secretsmanager:GetSecretValue'], [fromCommon('DbSecretArn'), fromCommon('ApiKeysSecretArn'), ref('TokenSecret')]),
      allow(['ssm:GetParameters'], fromCommon('StorageProfilesParameterArn')),
    ]),
    TaskAccessPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Description: 'Lakerunner tasks: the ingest bucket, the scratch file system and ECS Exec',
        PolicyDocument: policyDocument([
          allow(['s3:ListBucket'], bucketArn),
          allow(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], sub('${Bucket}/*', { Bucket: bucketArn })),
          efsClientStatement(fromCommon('EfsId'), fromCommon('ScratchAccessPointId'), { root: true }),
          ECS_EXEC_STATEMENT,
        ]),
      },
    },
    TaskRole: taskRole(
      [
        allow(
          ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          fromCommon('QueueArn'),
        ),
      ],
      shared,
    ),
    QueryApiTaskRole: taskRole(
      [
        // Listing has no resource-level permissions; the condition keeps it to the Lakerunner cluster.
        allow(['ecs:ListServices', 'ecs:ListTasks'], '*', { ArnEquals: { 'ecs:cluster': fromCommon('ClusterArn') } }),
        allow(
          ['ecs:DescribeServices', 'ecs:DescribeTasks'],
          ['service', 'task'].map((kind) =>
            sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:${kind}/\${Cluster}/*`, { Cluster: fromCommon('ClusterName') }),
          ),
        ),
      ],
      shared,
    ),
    QueryWorkerTaskRole: taskRole([], shared),
  };
}

const ORIGINAL = 'Original README (no effect here)';
/** A tag value: at most 256 letters, digits, spaces and + - = . _ : / @. */
const TAG_VALUE = { allowedPattern: '^[A-Za-z0-9 +=._:/@-]*$', maxLength: 256 };
const unused = (key: string, label: string, where: string, extra: Partial<ParamSpec>): ParamSpec => ({
  key,
  type: 'String',
  label: `${label} (unused here)`,
  description: `Unused: ${where}. Accepted for the original README's commands; it only tags the query API target group.`,
  group: ORIGINAL,
  default: '',
  ...extra,
});
const tagValue = (label: string): Partial<ParamSpec> => ({ ...TAG_VALUE, constraintDescription: `${label} must be at most 256 letters, digits, spaces and + - = . _ : / @.` });

/**
 * Parameters the original README documents for this stack, whose work moved to other stacks (the
 * load balancer to lakerunner-common, Grafana to lakerunner-grafana-service). Each feeds a tag.
 */
export const ORIGINAL_PARAMETERS: readonly ParamSpec[] = [
  unused('AlbScheme', 'Load balancer scheme', "the common stack's AlbScheme sets it", {
    default: 'internal',
    allowedValues: ['internal', 'internet-facing'],
    constraintDescription: 'Load balancer scheme must be internal or internet-facing.',
  }),
  unused('GrafanaResetToken', 'Grafana reset token', "reset Grafana with the Grafana stack's GrafanaResetToken", tagValue('Grafana reset token')),
  // The console checks it as an image reference too (format), as every image it passes on.
  unused('GrafanaImage', 'Grafana image', "the Grafana stack's GrafanaImage sets it", { ...tagValue('Grafana image'), default: IMAGES.grafana, format: 'image' }),
];

export const servicesStack = defineStack({
  id: 'services',
  stem: 'lakerunner-services',
  aliases: ['lakerunner-ecs-services'],
  title: 'Lakerunner services',
  purpose:
    'Runs the Lakerunner services on ECS Fargate: SQS notifications, log and metric ingestion, compaction, rollups, the sweeper, and the query API with its workers behind the load balancer on port 7101.',
  inclusion: 'always',
  lossOnDelete: 'The services\' logs and the query tokens\' signing key (tokens issued before stop working); the data stays in the database, the bucket and the file system.',
  needs: ['common'],
  after: ['migration'],
  inputs: { CommonInfraStackName: { stackName: 'common' } },
  rules: [],
  parameters: [
    commonInfraStackName(),
    {
      key: 'OtelEndpoint',
      type: 'String',
      label: 'OTLP endpoint',
      description:
        "OTLP/HTTP endpoint that receives the services' own logs and metrics, such as http://collector.example.com:4318; leave empty to send no telemetry.",
      group: 'Telemetry',
      default: '',
      allowedPattern: '^$|^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s]*)?$',
      maxLength: 2048,
      format: 'http-url',
      constraintDescription: 'OTLP endpoint must be empty or an http:// or https:// URL such as http://collector.example.com:4318.',
    },
    imageParam('GoServicesImage', 'Go services image', IMAGES.goServices, 'Image for pubsub-sqs, the ingesters, the compactors, rollup-metrics and the sweeper.'),
    imageParam('QueryApiImage', 'Query API image', IMAGES.queryApi, 'Image for the query API behind the load balancer on port 7101.'),
    imageParam('QueryWorkerImage', 'Query worker image', IMAGES.queryWorker, 'Image for the query workers that the query API fans queries out to.'),
    ...SERVICES.map((row) => taskCountParam(countKey(row), row.name, row.replicas, row)),
    ...ORIGINAL_PARAMETERS,
  ],
  build: () => ({
    Description: 'Lakerunner services: nine ECS Fargate services with their roles and log groups, and the query API on the common load balancer.',
    Conditions: { EnableOtlp: not(equals(ref('OtelEndpoint'), '')) },
    Resources: {
      ...roles(),
      // Derived: a new key only invalidates the query tokens issued before.
      TokenSecret: {
        Type: 'AWS::SecretsManager::Secret',
        ...lifecycle('Delete'),
        Properties: {
          Description: 'HMAC-SHA256 key the query API and workers sign and verify tokens with',
          GenerateSecretString: {
            SecretStringTemplate: '{}',
            GenerateStringKey: 'token_hmac256_key',
            PasswordLength: 64,
            ExcludeCharacters: ' "\\@/',
          },
        },
      },
      QueryApiTargetGroup: withTags(
        ipTargetGroup({ port: QUERY_API_PORT, vpcId: fromCommon('VpcId'), healthPath: '/ready' }),
        tags(Object.fromEntries(ORIGINAL_PARAMETERS.map((p) => [`lakerunner:${p.key}`, ref(p.key)]))),
      ),
      QueryApiRule: forwardRule(fromCommon('QueryApiListenerArn'), 'QueryApiTargetGroup'),
      ...Object.assign({}, ...SERVICES.map(serviceResources)),
    },
    Outputs: {
      ExecutionRoleArn: exported('Task execution role of the services, reusable by companion stacks.', getAtt('ExecutionRole', 'Arn'), 'ExecutionRoleArn'),
      TaskRoleArn: exported('Task role of the Go services.', getAtt('TaskRole', 'Arn'), 'TaskRoleArn'),
      ...Object.fromEntries(
        SERVICES.map((row) => [`${row.id}ServiceArn`, { Description: `ARN of the lakerunner-${row.name} ECS service.`, Value: ref(`${row.id}Service`) }]),
      ),
    },
  }),
});

function withTags(resource: Resource, entries: Expr[]): Resource {
  return { ...resource, Properties: { ...resource.Properties, Tags: entries } };
}
