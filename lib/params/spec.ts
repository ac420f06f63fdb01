// Parameter specs: the plain-data source of truth for every stack parameter. Isomorphic.
// From a spec list, pure functions derive CloudFormation Parameters, Interface metadata,
// Rules, the zod schema, the form fields, quick-create links, CLI commands and SDK parameters.

export const AWS_ID_TYPES = {
  'AWS::EC2::VPC::Id': { pattern: '^vpc-[0-9a-f]{8}([0-9a-f]{9})?$', noun: 'VPC ID', example: 'vpc-0abc1234def567890' },
  'AWS::EC2::Subnet::Id': { pattern: '^subnet-[0-9a-f]{8}([0-9a-f]{9})?$', noun: 'subnet ID', example: 'subnet-0abc1234def567890' },
  'AWS::EC2::SecurityGroup::Id': { pattern: '^sg-[0-9a-f]{8}([0-9a-f]{9})?$', noun: 'security group ID', example: 'sg-0abc1234def567890' },
  'AWS::EC2::AvailabilityZone::Name': { pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d[a-z]$', noun: 'Availability Zone name', example: 'us-east-1a' },
  'AWS::EC2::KeyPair::KeyName': { pattern: '^[\\x20-\\x7E]{1,255}$', noun: 'key pair name', example: 'my-key' },
} as const;

export type AwsIdType = keyof typeof AWS_ID_TYPES;
export type ParamType = 'String' | 'Number' | 'List<Number>' | 'CommaDelimitedList' | AwsIdType | `List<${AwsIdType}>`;

/** Extra checks the console runs that CloudFormation's constraint language cannot express. */
export type ParamFormat =
  | 'cidr'
  | 'image'
  | 'uuid'
  | 'http-url'
  | 'stack-name'
  | 'whole-number'
  | 'yaml-api-keys'
  | 'yaml-storage-profiles'
  | 'yaml-otel-config';

export interface ParamSpec {
  /** PascalCase key exactly as CloudFormation spells it; the same string everywhere. */
  readonly key: string;
  readonly type: ParamType;
  readonly label: string;
  /** A full sentence: the CloudFormation Description and the form's help text. */
  readonly description: string;
  /** Interface metadata group label; groups appear in order of first use. */
  readonly group: string;
  readonly default?: string;
  readonly allowedValues?: readonly string[];
  readonly allowedPattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
  /** Shown by CloudFormation and used verbatim as the form's error message. */
  readonly constraintDescription?: string;
  readonly noEcho?: boolean;
  /** Console-side checks beyond CloudFormation's constraints (YAML shape, CIDR alignment...). */
  readonly format?: ParamFormat;
  /** Minimum number of items for list types (CloudFormation cannot express it; the form can). */
  readonly minItems?: number;
  /** Items of a list must be distinct. */
  readonly distinctItems?: boolean;
  /** Multi-line input in the form. */
  readonly multiline?: boolean;
  /** A starting point the form offers to insert (e.g. the default YAML an override replaces). */
  readonly example?: string;
  /**
   * The value the plan's "Proof of concept" size gives this parameter; its default is the
   * "Production" size. Only sizing parameters (task counts) have one.
   */
  readonly proofOfConcept?: string;
  /**
   * A value the form can make: `uuid` (a random UUID), `password-bcrypt` (a strong random password,
   * shown once, whose bcrypt hash becomes the value: the password itself is kept nowhere).
   */
  readonly generate?: 'uuid' | 'password-bcrypt';
  /**
   * A value to try the console with, offered only against the sandbox (a sample license) and
   * refused by the server against a real account.
   */
  readonly sample?: { readonly label: string; readonly value: string };
  /**
   * A secret the console never writes into a download (the bundle's parameters files): whoever
   * runs deploy.sh or the CLI commands gives it themselves. Implies noEcho.
   */
  readonly keepOutOfDownloads?: boolean;
  /**
   * A container image published by the release: a plan's image registry prefix (a private mirror)
   * replaces its registry while the value is on the registry of its default.
   */
  readonly mirrorable?: boolean;
}

/**
 * A cross-parameter rule: when `when.key` equals `when.equals` (or is non-empty), and `unless.key`
 * does not equal `unless.equals`, `then.key` must be non-empty or one of `then.oneOf`. Rendered as
 * a template Rule and enforced by the zod schema.
 */
export interface ParamRule {
  readonly id: string;
  readonly when: { readonly key: string; readonly equals: string } | { readonly key: string; readonly notEmpty: true };
  /** An explicit way out, such as a parameter the user sets to accept the risk the rule guards against. */
  readonly unless?: { readonly key: string; readonly equals: string };
  readonly then: { readonly key: string; readonly notEmpty: true } | { readonly key: string; readonly oneOf: readonly string[] };
  readonly message: string;
}

/** Every parameter key a rule reads. */
export const ruleKeys = (rule: ParamRule): string[] => [rule.when.key, rule.then.key, ...(rule.unless ? [rule.unless.key] : [])];

export const isListType = (type: ParamType) => type.startsWith('List<') || type === 'CommaDelimitedList';
export const itemType = (type: ParamType): ParamType =>
  type === 'CommaDelimitedList' ? 'String' : type.startsWith('List<') ? (type.slice(5, -1) as ParamType) : type;
export const isRequired = (spec: ParamSpec) => spec.default === undefined;

/** Splits a CloudFormation list value ("a,b, c") into trimmed, non-empty items. */
export const splitList = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** CloudFormation caps every parameter value at 4,096 bytes. */
export const PARAMETER_VALUE_LIMIT = 4096;
