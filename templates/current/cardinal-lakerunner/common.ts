// What the services root's children share: the install-id pair, the cross-stack input parameters,
// the environment and secrets every Lakerunner container gets, and the migration sentinel.
import { ref, split, sub, type Expr } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { containerDefinition, environment, secretKey, secrets } from '../../ecs';
import { DEFAULT_IMAGES } from '../manifest';
import { CONFIG_DB_NAME, DB_NAME, dbPortParam, imageParam, inputParam } from '../shared';

type Overrides = Partial<Omit<ParamSpec, 'key'>>;

export const INSTALL_ID_PARAMETERS: readonly ParamSpec[] = [
  {
    key: 'InstallIdShort',
    type: 'String',
    label: 'Install ID (short)',
    description: "The first 8 hex digits of the root stack's UUID, computed by the root and used in Name tags.",
    group: 'Cross-stack inputs',
    minLength: 8,
    maxLength: 8,
    allowedPattern: '^[0-9a-fA-F]{8}$',
    constraintDescription: 'Install ID (short) must be 8 hexadecimal digits.',
  },
  {
    key: 'InstallIdLong',
    type: 'String',
    label: 'Install ID (long)',
    description: "The first 12 hex digits of the root stack's UUID (its first two groups), computed by the root.",
    group: 'Cross-stack inputs',
    minLength: 12,
    maxLength: 12,
    allowedPattern: '^[0-9a-fA-F]{12}$',
    constraintDescription: 'Install ID (long) must be 12 hexadecimal digits.',
  },
];

/** The child's cross-stack inputs; each factory takes overrides for the child's wording or type. */
export const inputs = {
  clusterArn: (o?: Overrides) => inputParam('ClusterArn', 'ECS cluster ARN', 'ARN of the ECS cluster the services run in.', o),
  clusterName: (o?: Overrides) =>
    inputParam('ClusterName', 'ECS cluster name', 'Name of the ECS cluster, used in the OTel resource attributes and service discovery of the workers.', o),
  taskSecurityGroupId: (o?: Overrides) =>
    inputParam('TaskSecurityGroupId', 'Task security group', "Security group of this tier's tasks, from cardinal-lakerunner-infra-base.", {
      type: 'AWS::EC2::SecurityGroup::Id',
      ...o,
    }),
  executionRoleArn: (o?: Overrides) =>
    inputParam('ExecutionRoleArn', 'Execution role ARN', 'The shared ECS execution role that pulls images and resolves the cardinal-* secrets.', o),
  taskRoleArn: (o?: Overrides) => inputParam('TaskRoleArn', 'Task role ARN', "This tier's task role from cardinal-lakerunner-infra-base.", o),
  privateSubnetsCsv: (o?: Overrides) =>
    inputParam('PrivateSubnetsCsv', 'Private subnets', 'Comma-separated private subnet IDs the tasks run in, joined by the root.', o),
  httpsListenerArn: (o?: Overrides) =>
    inputParam('HttpsListenerArn', 'HTTPS listener ARN', "ARN of the app load balancer's 443 listener the tier's rules attach to.", o),
  vpcId: (o?: Overrides) =>
    inputParam('VpcId', 'VPC', 'VPC of the target groups.', { type: 'AWS::EC2::VPC::Id', constraintDescription: 'VPC must be a VPC ID such as vpc-0abc1234def567890.', ...o }),
  serviceNamespaceId: (o?: Overrides) =>
    inputParam('ServiceNamespaceId', 'Service namespace ID', 'ID of the Cloud Map namespace the root owns, for service discovery.', o),
  serviceNamespaceName: (o?: Overrides) =>
    inputParam('ServiceNamespaceName', 'Service namespace name', 'Name of the Cloud Map namespace, such as cardinal.local, in the internal service URLs.', o),
  dbEndpoint: (o?: Overrides) => inputParam('DbEndpoint', 'Database endpoint', 'Host name of the PostgreSQL instance.', o),
  dbPort: (o?: Overrides) => dbPortParam(o),
  dbSecretArn: (o?: Overrides) =>
    inputParam('DbSecretArn', 'Database secret ARN', 'ARN of the cardinal-db-master secret holding the master username and password.', o),
  bucketName: (o?: Overrides) => inputParam('BucketName', 'Cooked bucket name', 'Name of the cooked bucket Lakerunner writes its segments to.', o),
  licenseSecretArn: (o?: Overrides) => inputParam('LicenseSecretArn', 'License secret ARN', 'ARN of the cardinal-license secret, given to the containers as LICENSE_DATA.', o),
  adminApiKeySecretArn: (o?: Overrides) =>
    inputParam('AdminApiKeySecretArn', 'Admin key secret ARN', 'ARN of the cardinal-admin-key secret whose key field is the admin API key.', o),
  selfTelemetryEndpoint: (o?: Overrides) =>
    inputParam('SelfTelemetryEndpoint', 'Self-telemetry endpoint', "OTLP/HTTP endpoint for Lakerunner's own telemetry; empty sends none.", { default: '', ...o }),
  selfTelemetryEnabled: (o?: Overrides) =>
    inputParam('SelfTelemetryEnabled', 'Self-telemetry enabled', 'true when the self-telemetry endpoint is set, else false.', {
      default: 'false',
      allowedValues: ['true', 'false'],
      constraintDescription: 'Self-telemetry enabled must be true or false.',
      ...o,
    }),
  migrationComplete: (o?: Overrides) =>
    inputParam(
      'MigrationComplete',
      'Migration service ARN',
      "The migration child's MigrationServiceArn output: passing it makes CloudFormation update this tier only after the database is migrated.",
      o,
    ),
  lakerunnerImage: (o?: Overrides) =>
    imageParam('LakerunnerImage', 'Lakerunner image', DEFAULT_IMAGES.lakerunner, 'Image of every Lakerunner container and the migrator, pinned by digest.', {
      group: 'Image overrides',
      ...o,
    }),
  dbInitImage: (o?: Overrides) =>
    imageParam('DbInitImage', 'Database init image', DEFAULT_IMAGES.dbInit, 'PostgreSQL client image that creates databases and extensions; it must include psql and a shell.', {
      group: 'Image overrides',
      ...o,
    }),
};

/**
 * Resource metadata recording inputs a child declares but does not otherwise use: the long
 * install id (every child receives it), and the parameters upstream's children declare for the
 * root's sake. Keeping them keeps upstream's interface, so either root loads either's children.
 */
export const inputsMetadata = (...keys: string[]) =>
  Object.fromEntries(['InstallIdLong', ...keys].map((key) => [`Cardinal::${key}`, ref(key)]));

/**
 * Metadata of a tier's services. MigrationComplete is the migration child's output: passing it
 * makes CloudFormation update the tier only after the migrations succeeded.
 */
export const migrationSentinel = () => inputsMetadata('MigrationComplete');

export const subnetsFromCsv = () => split(',', ref('PrivateSubnetsCsv'));

/** ECS secrets of one key of the database master secret. */
const dbSecret = (key: 'username' | 'password') => secretKey(ref('DbSecretArn'), key);

/** The common environment of the ten Lakerunner containers, in the order of upstream's task definitions. */
export const lakerunnerEnvironment = (serviceKey: string, extra: Record<string, Expr> = {}): Expr[] =>
  environment({
    LRDB_HOST: ref('DbEndpoint'),
    LRDB_PORT: ref('DbPort'),
    LRDB_DBNAME: DB_NAME,
    LRDB_SSLMODE: 'require',
    LRDB_S3_BUCKET: ref('BucketName'),
    CONFIGDB_HOST: ref('DbEndpoint'),
    CONFIGDB_PORT: ref('DbPort'),
    CONFIGDB_DBNAME: CONFIG_DB_NAME,
    CONFIGDB_SSLMODE: 'require',
    OTEL_SERVICE_NAME: `lakerunner-${serviceKey}`,
    // Not OTEL_EXPORTER_OTLP_ENDPOINT: Lakerunner sets that itself, and a license may carry its own.
    LAKERUNNER_SELF_TELEMETRY_ENDPOINT: ref('SelfTelemetryEndpoint'),
    ENABLE_OTLP_TELEMETRY: ref('SelfTelemetryEnabled'),
    OTEL_RESOURCE_ATTRIBUTES: sub('ecs.cluster.name=${ClusterName}'),
    ...extra,
  });

/** Database credentials as the PostgreSQL clients read them (LRDB_*), without the config DB's. */
export const postgresClientSecrets = (): Record<string, Expr> => ({ LRDB_USER: dbSecret('username'), LRDB_PASSWORD: dbSecret('password') });

/** Both databases' credentials (Lakerunner reads LRDB_* and CONFIGDB_*). */
export const lakerunnerDbSecrets = (): Record<string, Expr> => ({
  ...postgresClientSecrets(),
  CONFIGDB_USER: dbSecret('username'),
  CONFIGDB_PASSWORD: dbSecret('password'),
});

/** The common secrets of the ten Lakerunner containers: both databases and the license. */
export const lakerunnerSecrets = (extra: Record<string, Expr> = {}): Expr[] =>
  secrets({ ...lakerunnerDbSecrets(), LICENSE_DATA: ref('LicenseSecretArn'), ...extra });

export interface LakerunnerContainer {
  /** Container and service key: query-api, process-logs… */
  name: string;
  /** Arguments after /app/bin/lakerunner. */
  command: readonly string[];
  logGroup: string;
  ports?: readonly number[];
  environment?: Record<string, Expr>;
  secrets?: Record<string, Expr>;
}

/** One Lakerunner container: the distroless image takes its whole configuration as plain variables. */
export const lakerunnerContainer = (c: LakerunnerContainer) =>
  containerDefinition({
    name: c.name,
    image: ref('LakerunnerImage'),
    logGroup: c.logGroup,
    streamPrefix: c.name,
    command: ['/app/bin/lakerunner', ...c.command],
    environment: lakerunnerEnvironment(c.name, c.environment),
    secrets: lakerunnerSecrets(c.secrets),
    ports: c.ports,
  });

/** The common cross-stack inputs of the Lakerunner tiers (query, process and control). */
export const tierInputs = (): ParamSpec[] => [
  ...INSTALL_ID_PARAMETERS,
  inputs.clusterArn(),
  inputs.clusterName(),
  inputs.taskSecurityGroupId(),
  inputs.executionRoleArn(),
  inputs.taskRoleArn(),
  inputs.privateSubnetsCsv(),
];

/** The data, license and telemetry inputs of the Lakerunner tiers. */
export const tierDataInputs = (): ParamSpec[] => [
  inputs.dbEndpoint(),
  inputs.dbPort(),
  inputs.dbSecretArn(),
  inputs.bucketName(),
  inputs.licenseSecretArn(),
  inputs.selfTelemetryEndpoint(),
  inputs.selfTelemetryEnabled(),
  inputs.migrationComplete(),
];
