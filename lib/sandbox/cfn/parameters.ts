// Stack parameters: merging given values, UsePreviousValue and defaults; CloudFormation's
// constraint checks and messages; Ref values (lists for list types); and the asynchronous
// existence check of AWS-specific ids against the sandbox's EC2 inventory.
import { AwsError, validationError } from '../core/errors';
import type { RegionState } from '../core/state';
import { availabilityZones } from '../services/network';
import type { AttrValue } from './intrinsics';
import type { ParamDecl, Template } from './template';

export interface ParamInput {
  key: string;
  value?: string;
  usePreviousValue?: boolean;
}

export const MASK = '****';
const VALUE_LIMIT = 4096;

const isList = (type: string) => type.startsWith('List<') || type === 'CommaDelimitedList';
const isAwsSpecific = (type: string) => type.includes('AWS::');

/** The values a stack runs with; throws CloudFormation's ValidationError for bad input. */
/** `unchecked`: parameters whose real value is not known yet (a nested change set's), spared the constraint checks. */
export function resolveParameters(template: Template, inputs: ParamInput[], previous?: Record<string, string>, unchecked: ReadonlySet<string> = new Set()): Record<string, string> {
  const declared = template.parameters;
  const unknown = inputs.filter((p) => !(p.key in declared)).map((p) => p.key);
  if (unknown.length) throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);

  const values: Record<string, string> = {};
  for (const input of inputs) {
    if (input.usePreviousValue) {
      if (input.value !== undefined && input.value !== '') {
        throw validationError(`Invalid input for parameter key ${input.key}. Cannot specify usePreviousValue as true and non empty value for a parameter`);
      }
      if (!previous) throw validationError(`Invalid input for parameter key ${input.key}. Cannot specify usePreviousValue as true for non-existing stack`);
      if (!(input.key in previous)) {
        throw validationError(`Invalid input for parameter key ${input.key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      }
      values[input.key] = previous[input.key]!;
    } else if (input.value !== undefined) values[input.key] = input.value;
  }
  const missing: string[] = [];
  for (const [key, decl] of Object.entries(declared)) {
    if (key in values) continue;
    if (decl.Default !== undefined) values[key] = decl.Default;
    else missing.push(key);
  }
  if (missing.length) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  for (const [key, decl] of Object.entries(declared)) if (!unchecked.has(key)) checkConstraints(key, decl, values[key]!);
  return values;
}

function checkConstraints(key: string, decl: ParamDecl, value: string) {
  const fail = (reason: string): never => {
    throw validationError(decl.ConstraintDescription ? `Parameter ${key} failed to satisfy constraint: ${decl.ConstraintDescription}` : `Parameter '${key}' ${reason}`);
  };
  if (Buffer.byteLength(value) > VALUE_LIMIT) throw validationError(`Parameter '${key}' exceeds the maximum length of ${VALUE_LIMIT} bytes`);
  const members = isList(decl.Type) ? value.split(',') : [value];
  const numeric = decl.Type === 'Number' || decl.Type === 'List<Number>';
  for (const member of members) {
    if (numeric && (member.trim() === '' || Number.isNaN(Number(member)))) {
      throw validationError(decl.Type === 'Number' ? `Parameter '${key}' must be a number.` : `Parameter '${key}' must be a list of numbers.`);
    }
    if (decl.AllowedValues && !decl.AllowedValues.includes(member)) fail('must be one of AllowedValues');
    if (decl.AllowedPattern !== undefined && !fullMatch(decl.AllowedPattern, member)) fail(`must match pattern ${decl.AllowedPattern}`);
    if (numeric && decl.MinValue !== undefined && Number(member) < decl.MinValue) fail(`must be a number not less than ${decl.MinValue}`);
    if (numeric && decl.MaxValue !== undefined && Number(member) > decl.MaxValue) fail(`must be a number not greater than ${decl.MaxValue}`);
  }
  if (!numeric && decl.MinLength !== undefined && value.length < decl.MinLength) fail(`must contain at least ${decl.MinLength} characters`);
  if (!numeric && decl.MaxLength !== undefined && value.length > decl.MaxLength) fail(`must contain at most ${decl.MaxLength} characters`);
}

const patterns = new Map<string, RegExp>();
function fullMatch(pattern: string, value: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) {
    try {
      regex = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      throw new AwsError('ValidationError', `Template format error: AllowedPattern ${pattern} is not a valid regular expression`);
    }
    patterns.set(pattern, regex);
  }
  return regex.test(value);
}

/** What `Ref` returns for a parameter: list types give lists (an empty value gives [""], as CloudFormation does). */
export function refValue(decl: ParamDecl, value: string, ssm?: RegionState['ssm']): AttrValue {
  if (decl.Type.startsWith('AWS::SSM::Parameter::Value<')) {
    const resolved = ssm?.[value]?.value ?? '';
    return decl.Type.includes('List<') || decl.Type.includes('CommaDelimitedList') ? resolved.split(',') : resolved;
  }
  if (!isList(decl.Type)) return value;
  const items = value.split(',');
  return decl.Type === 'CommaDelimitedList' ? items : items.map((i) => i.trim());
}

/** Values shown back to callers: NoEcho ones masked. */
export const displayValue = (decl: ParamDecl | undefined, value: string) => (decl?.NoEcho ? MASK : value);

/** SSM parameter-typed values must exist when the operation is requested. */
export function checkSsmParameters(template: Template, values: Record<string, string>, r: RegionState) {
  const missing = Object.entries(template.parameters)
    .filter(([key, decl]) => decl.Type.startsWith('AWS::SSM::Parameter::Value<') && !(values[key]! in r.ssm))
    .map(([key]) => values[key]!);
  if (missing.length) throw validationError(`Unable to fetch parameters [${missing.join(',')}] from parameter store for this account.`);
}

/**
 * AWS-specific parameter types name things that must exist in the account. CloudFormation checks
 * this after accepting the request, so a miss fails the operation rather than the API call.
 */
export function missingAwsIds(template: Template, values: Record<string, string>, r: RegionState, region: string): string | undefined {
  const problems: string[] = [];
  for (const [key, decl] of Object.entries(template.parameters)) {
    if (!isAwsSpecific(decl.Type) || decl.Type.startsWith('AWS::SSM::')) continue;
    const itemType = decl.Type.startsWith('List<') ? decl.Type.slice(5, -1) : decl.Type;
    const exists = existence(itemType, r, region);
    if (!exists) continue;
    const raw = values[key]!;
    const items = decl.Type.startsWith('List<') ? (raw.trim() === '' ? [] : raw.split(',').map((i) => i.trim())) : [raw];
    for (const item of items) if (!exists(item)) problems.push(`parameter value ${item} for parameter name ${key} does not exist`);
  }
  return problems.length ? `Parameter validation failed: ${problems.join(', ')}.` : undefined;
}

function existence(type: string, r: RegionState, region: string): ((id: string) => boolean) | undefined {
  switch (type) {
    case 'AWS::EC2::VPC::Id':
      return (id) => r.vpcs.some((v) => v.vpcId === id);
    case 'AWS::EC2::Subnet::Id':
      return (id) => r.subnets.some((s) => s.subnetId === id);
    case 'AWS::EC2::SecurityGroup::Id':
      return (id) => r.securityGroups.some((g) => g.groupId === id);
    case 'AWS::EC2::SecurityGroup::GroupName':
      return (name) => r.securityGroups.some((g) => g.groupName === name);
    case 'AWS::EC2::AvailabilityZone::Name':
      return (name) => availabilityZones(region).includes(name);
    default:
      return undefined;
  }
}
