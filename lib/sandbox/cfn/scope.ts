// Builds the evaluation scope of one stack: its parameters, pseudo parameters, conditions,
// mappings, resources (live, or unknown-until-executed for change sets) and imports.
import { AwsError } from '../core/errors';
import type { RegionState } from '../core/state';
import { availabilityZones } from '../services/network';
import { NO_VALUE, templateError, type AttrValue, type Scope, type Unknown, evaluate } from './intrinsics';
import { isObject, type Json } from './json';
import { refValue } from './parameters';
import type { Template } from './template';

export interface StackIdentity {
  stackName: string;
  stackId: string;
  region: string;
  /** The account the stack lives in (AWS::AccountId). */
  account: string;
  notificationArns: string[];
}

export interface ResourceAccess {
  isResource(logicalId: string): boolean;
  ref(logicalId: string): AttrValue | Unknown;
  attr(logicalId: string, attribute: string): AttrValue | Unknown;
}

export const partition = (region: string) => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

export const missingExport = (name: string) => new AwsError('ValidationError', `No export named ${name} found.`);

export function buildScope(
  template: Template,
  values: Record<string, string>,
  identity: StackIdentity,
  r: RegionState,
  resources: ResourceAccess,
  importValue: (name: string) => string | Unknown = (name) => {
    const entry = r.exports[name];
    if (!entry) throw missingExport(name);
    return entry.value;
  },
): Scope {
  const conditionCache = new Map<string, boolean>();
  const scope: Scope = {
    region: identity.region,
    pseudo(name) {
      switch (name) {
        case 'AWS::AccountId':
          return identity.account;
        case 'AWS::Region':
          return identity.region;
        case 'AWS::StackName':
          return identity.stackName;
        case 'AWS::StackId':
          return identity.stackId;
        case 'AWS::Partition':
          return partition(identity.region);
        case 'AWS::URLSuffix':
          return identity.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
        case 'AWS::NotificationARNs':
          return identity.notificationArns;
        case 'AWS::NoValue':
          return NO_VALUE;
        default:
          return undefined;
      }
    },
    param(name) {
      const decl = template.parameters[name];
      return decl ? refValue(decl, values[name] ?? '', r.ssm) : undefined;
    },
    condition(name) {
      const cached = conditionCache.get(name);
      if (cached !== undefined) return cached;
      if (!(name in template.conditions)) throw templateError(`unresolved condition dependency ${name} in Fn::If`);
      const value = evaluate(template.conditions[name]!, scope);
      if (typeof value !== 'boolean') throw templateError(`Condition ${name} does not evaluate to a boolean`);
      conditionCache.set(name, value);
      return value;
    },
    isResource: (id) => resources.isResource(id),
    resourceRef: (id) => resources.ref(id),
    resourceAttr: (id, attribute) => resources.attr(id, attribute),
    importValue,
    mapping(map, top, second) {
      const m = template.mappings[map];
      const level = isObject(m) ? m[top] : undefined;
      const value = isObject(level) ? level[second] : undefined;
      return value === undefined ? undefined : (value as Json);
    },
    azs: (region) => availabilityZones(region),
  };
  return scope;
}

/** Every condition's value; throws for malformed conditions. */
export function conditionValues(template: Template, scope: Scope): Record<string, boolean> {
  return Object.fromEntries(Object.keys(template.conditions).map((name) => [name, scope.condition(name)]));
}

/** Resources whose Condition holds. */
export function activeResources(template: Template, conditions: Record<string, boolean>): string[] {
  return Object.entries(template.resources)
    .filter(([, r]) => r.Condition === undefined || conditions[r.Condition] === true)
    .map(([id]) => id);
}
