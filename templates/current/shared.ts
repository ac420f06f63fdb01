// What the current line's stacks share: the tag set, fixed names and ports, the install-id pair,
// and parameter factories (with overrides, never copies) for specs several stacks declare.
import { ref, sub, tags, type Expr, type Intrinsic } from '@/lib/cfn/template';
import { UUID_PATTERN } from '@/lib/params/formats';
import type { ParamSpec } from '@/lib/params/spec';

type Overrides = Partial<Omit<ParamSpec, 'key' | 'type'>>;

/** Ports the tiers listen on (fact sheet §5). */
export const PORTS = {
  queryApi: 8080,
  health: 8090,
  queryWorkerArtifacts: 8081,
  queryWorkerGrpc: 8082,
  adminApi: 9091,
  sweeperHealth: 8091,
  monitoringHealth: 8092,
  alertEvaluatorHealth: 8093,
  maestro: 4200,
  mcpGateway: 8080,
  dex: 5556,
  postgres: 5432,
  otlpHttp: 4318,
  collectorHealth: 13133,
  https: 443,
  adminHttps: 9443,
} as const;

/** The app ALB's listener ports, opened on the ALB security group. */
export const ALB_PORTS = [PORTS.https, PORTS.adminHttps, PORTS.otlpHttp] as const;

export const DB_NAME = 'lakerunner';
export const DB_USER = 'lakerunner';
export const CONFIG_DB_NAME = 'configdb';
export const MAESTRO_DB_NAME = 'maestro';
export const LOG_RETENTION_DAYS = 14;

/** The tiers of the Lakerunner account, each with its own security group and task role in infra-base. */
export const TIERS = ['Migration', 'Query', 'Process', 'Control', 'Maestro'] as const;
export type Tier = (typeof TIERS)[number];

export type ManagedBy = 'cardinal-cfn-infra-base' | 'cardinal-cfn-rds' | 'cardinal-cfn' | 'cardinal-cfn-satellite' | 'cardinal-cfn-poc';

/** The common tag set (fact sheet §1.6): Name, Project, Application, Component, ManagedBy. */
export const cardinalTags = (name: Expr, component: string, managedBy: ManagedBy): Expr[] =>
  tags({ Name: name, Project: 'cardinal', Application: 'cardinal-lakerunner', Component: component, ManagedBy: managedBy });

/** Tags of a resource in a services child: Name `cardinal-<role>-<install id>`. */
export const childTags = (role: string, component: string): Expr[] =>
  cardinalTags(sub(`cardinal-${role}-\${InstallIdShort}`), component, 'cardinal-cfn');

// ---------------------------------------------------------------------------------------------
// Install ids: computed once in the root from its own stack id, passed to every child.

/** The UUID part of `arn:…:stack/<name>/<uuid>`. */
const stackUuid = (): Intrinsic => ({ 'Fn::Select': [2, { 'Fn::Split': ['/', ref('AWS::StackId')] }] });
const uuidGroup = (index: number): Intrinsic => ({ 'Fn::Select': [index, { 'Fn::Split': ['-', stackUuid()] }] });

/** First group of the stack's UUID: 8 hex digits. */
export const installIdShort = (): Intrinsic => uuidGroup(0);
/** First two groups of the stack's UUID without the dash: 12 hex digits. */
export const installIdLong = (): Intrinsic => ({ 'Fn::Join': ['', [uuidGroup(0), uuidGroup(1)]] });

// ---------------------------------------------------------------------------------------------
// Parameter factories

export const SUBNET_CSV_EXAMPLE = 'subnet-0abc1234def567890,subnet-0def5678abc123456';

export const vpcIdParam = (description: string, overrides?: Overrides): ParamSpec => ({
  key: 'VpcId',
  type: 'AWS::EC2::VPC::Id',
  label: 'VPC',
  description,
  group: 'Networking',
  constraintDescription: 'VPC must be a VPC ID such as vpc-0abc1234def567890.',
  ...overrides,
});

/** A comma-separated subnet list held in a String parameter (upstream's *Csv parameters). */
export const subnetCsvParam = (key: string, label: string, description: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Networking',
  example: SUBNET_CSV_EXAMPLE,
  ...overrides,
});

export const albSchemeParam = (description: string, overrides?: Overrides): ParamSpec => ({
  key: 'AlbScheme',
  type: 'String',
  label: 'Load balancer scheme',
  description,
  group: 'Networking',
  default: 'internal',
  allowedValues: ['internal', 'internet-facing'],
  constraintDescription: 'Load balancer scheme must be internal or internet-facing.',
  ...overrides,
});

export const organizationIdParam = (description: string, overrides?: Overrides): ParamSpec => ({
  key: 'OrganizationId',
  type: 'String',
  label: 'Organization ID',
  description,
  group: 'Inputs',
  allowedPattern: UUID_PATTERN,
  constraintDescription: 'Organization ID must be a UUID such as 12340000-0000-4000-8000-000000000000.',
  format: 'uuid',
  ...overrides,
});

export const NAME_SUFFIX_PATTERN = '^$|^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$';

export const nameSuffixParam = (description: string, overrides?: Overrides): ParamSpec => ({
  key: 'NameSuffix',
  type: 'String',
  label: 'Name suffix',
  description,
  group: 'Naming',
  default: '',
  allowedPattern: NAME_SUFFIX_PATTERN,
  constraintDescription:
    'Name suffix must be empty or 1 to 16 lowercase letters, digits and hyphens, starting and ending with a letter or digit.',
  ...overrides,
});

export const BUCKET_NAME_PATTERN = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';

export const bucketNameParam = (key: string, label: string, description: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Inputs',
  allowedPattern: BUCKET_NAME_PATTERN,
  constraintDescription: `${label} must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.`,
  ...overrides,
});

export const optionalBucketNameParam = (key: string, label: string, description: string, overrides?: Overrides): ParamSpec =>
  bucketNameParam(key, label, description, {
    default: '',
    allowedPattern: `^$|${BUCKET_NAME_PATTERN}`,
    constraintDescription: `${label} must be empty or an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.`,
    ...overrides,
  });

export const publicAccessBlockParam = (bucket: string, overrides?: Overrides): ParamSpec => ({
  key: 'ConfigureBucketPublicAccessBlock',
  type: 'String',
  label: 'Set the public access block',
  description: `true sets all four public-access-block flags on the ${bucket}; false leaves the account's settings, for deployer roles without s3:PutBucketPublicAccessBlock.`,
  group: 'Other settings',
  default: 'false',
  allowedValues: ['false', 'true'],
  constraintDescription: 'Set the public access block must be false or true.',
  ...overrides,
});

export const extraPolicyArnsParam = (role: string, overrides?: Overrides): ParamSpec => ({
  key: 'ExecutionRoleExtraPolicyArns',
  type: 'String',
  label: 'Extra execution-role policies',
  description: `Comma-separated ARNs (no spaces) of managed policies added to the ${role}, such as one allowing ECR pull-through-cache imports for a private registry mirror; leave empty for none.`,
  group: 'Other settings',
  default: '',
  ...overrides,
});

/** An image parameter: upstream declares no pattern, so the console checks the reference itself. */
export const imageParam = (key: string, label: string, defaultImage: string, description: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Images',
  default: defaultImage,
  format: 'image',
  ...overrides,
});

export const dbPortParam = (overrides?: Overrides): ParamSpec => ({
  key: 'DbPort',
  type: 'String',
  label: 'Database port',
  description: 'Port of the PostgreSQL instance (the DbPort output of cardinal-lakerunner-infra-rds).',
  group: 'Cross-stack inputs',
  default: String(PORTS.postgres),
  ...overrides,
});

/** A value passed through from another stack, required, of a given type. */
export const inputParam = (key: string, label: string, description: string, overrides?: Overrides & { type?: ParamSpec['type'] }): ParamSpec => ({
  key,
  type: overrides?.type ?? 'String',
  label,
  description,
  group: 'Cross-stack inputs',
  ...(overrides?.type === 'AWS::EC2::SecurityGroup::Id'
    ? { constraintDescription: `${label} must be a security group ID such as sg-0abc1234def567890.` }
    : {}),
  ...overrides,
});

/** A Number parameter for a count of tasks, with the console's whole-number check. */
export const countParam = (key: string, label: string, description: string, defaultValue: number, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'Number',
  label,
  description,
  group: 'Sizing',
  default: String(defaultValue),
  minValue: 1,
  format: 'whole-number',
  constraintDescription: `${label} must be a whole number of at least 1.`,
  ...overrides,
});

/** A task's CPU units or memory (MiB), a String as upstream declares it. */
export const sizeParam = (key: string, label: string, description: string, defaultValue: number, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Sizing',
  default: String(defaultValue),
  format: 'whole-number',
  ...overrides,
});

/** Yes/No or true/false switches. */
export const switchParam = (key: string, label: string, description: string, values: readonly [string, string], defaultValue: string, overrides?: Overrides): ParamSpec => ({
  key,
  type: 'String',
  label,
  description,
  group: 'Advanced',
  default: defaultValue,
  allowedValues: values,
  constraintDescription: `${label} must be ${values[0]} or ${values[1]}.`,
  ...overrides,
});
