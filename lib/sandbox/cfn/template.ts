// A parsed, structurally validated template: sections normalized, references checked,
// resource types known, no dependency cycles. Memoized by body, since stacks re-read theirs.
import { AwsError } from '../core/errors';
import { isCustomType, typeInfo } from '../resources/registry';
import { collectReferences, templateError, unresolved } from './intrinsics';
import { isObject, listOf, type Json, type JsonObject } from './json';
import { parseTemplateText } from './parse';
import { PSEUDO_PARAMETERS as CFN_PSEUDO_PARAMETERS, type CfnParameter } from '@/lib/cfn/template';

export const PSEUDO_PARAMETERS = new Set<string>(CFN_PSEUDO_PARAMETERS);

/** A template's parameter declaration as parsed: NoEcho always settled ("true" counts too). */
export interface ParamDecl extends Omit<CfnParameter, 'NoEcho'> {
  NoEcho: boolean;
}

export interface ResourceDecl {
  Type: string;
  Properties: JsonObject;
  DependsOn: string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface OutputDecl {
  Value: Json;
  Description?: string;
  Condition?: string;
  ExportName?: Json;
}

export interface Template {
  body: string;
  raw: JsonObject;
  description?: string;
  parameters: Record<string, ParamDecl>;
  rules: Record<string, JsonObject>;
  mappings: JsonObject;
  conditions: Record<string, Json>;
  resources: Record<string, ResourceDecl>;
  outputs: Record<string, OutputDecl>;
}

const TOP_LEVEL = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy', 'Version']);
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);
const PARAM_TYPES = /^(String|Number|List<Number>|CommaDelimitedList|AWS::EC2::(AvailabilityZone::Name|Image::Id|Instance::Id|KeyPair::KeyName|SecurityGroup::GroupName|SecurityGroup::Id|Subnet::Id|Volume::Id|VPC::Id)|AWS::Route53::HostedZone::Id|List<AWS::EC2::(AvailabilityZone::Name|Image::Id|Instance::Id|SecurityGroup::GroupName|SecurityGroup::Id|Subnet::Id|Volume::Id|VPC::Id)>|List<AWS::Route53::HostedZone::Id>|AWS::SSM::Parameter::Name|AWS::SSM::Parameter::Value<.+>)$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

const formatError = (message: string) => new AwsError('ValidationError', `Template format error: ${message}`);

const cache = new Map<string, Template>();

export function loadTemplate(body: string): Template {
  const cached = cache.get(body);
  if (cached) return cached;
  const template = buildTemplate(body, parseTemplateText(body));
  if (cache.size >= 256) cache.delete(cache.keys().next().value!);
  cache.set(body, template);
  return template;
}

const asNumber = (v: Json | undefined) => (v === undefined || v === null ? undefined : Number(v));
const asText = (v: Json | undefined) => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));

function buildTemplate(body: string, raw: JsonObject): Template {
  const unknownKeys = Object.keys(raw).filter((k) => !TOP_LEVEL.has(k));
  if (unknownKeys.length) throw formatError(`Invalid template property or properties [${unknownKeys.join(', ')}]`);
  if (raw.AWSTemplateFormatVersion !== undefined && asText(raw.AWSTemplateFormatVersion) !== '2010-09-09') {
    throw formatError(`Unsupported AWSTemplateFormatVersion ${asText(raw.AWSTemplateFormatVersion)}`);
  }
  if (raw.Transform !== undefined) throw formatError('the sandbox does not run transforms (macros); deploy the processed template instead');
  if (raw.Description !== undefined && typeof raw.Description !== 'string') throw formatError('Description must be a string');
  if (typeof raw.Description === 'string' && Buffer.byteLength(raw.Description) > 1024) {
    throw formatError("'Description' length is greater than 1024.");
  }

  const parameters: Record<string, ParamDecl> = {};
  for (const [key, decl] of Object.entries(section(raw, 'Parameters'))) {
    if (!LOGICAL_ID.test(key)) throw formatError(`Parameter name ${key} is non alphanumeric.`);
    if (!isObject(decl) || typeof decl.Type !== 'string') throw formatError('Every Parameters object must contain a Type member.');
    if (!PARAM_TYPES.test(decl.Type)) throw formatError(`Unrecognized parameter type: ${decl.Type}`);
    parameters[key] = {
      Type: decl.Type,
      Default: asText(decl.Default),
      Description: asText(decl.Description),
      AllowedValues: Array.isArray(decl.AllowedValues) ? decl.AllowedValues.map((v) => asText(v) ?? '') : undefined,
      AllowedPattern: asText(decl.AllowedPattern),
      MinLength: asNumber(decl.MinLength),
      MaxLength: asNumber(decl.MaxLength),
      MinValue: asNumber(decl.MinValue),
      MaxValue: asNumber(decl.MaxValue),
      ConstraintDescription: asText(decl.ConstraintDescription),
      NoEcho: decl.NoEcho === true || decl.NoEcho === 'true',
    };
  }
  if (Object.keys(parameters).length > 200) throw formatError('Number of parameters exceeds the limit of 200');

  const resourcesRaw = section(raw, 'Resources');
  if (Object.keys(resourcesRaw).length === 0) throw formatError('At least one Resources member must be defined.');
  if (Object.keys(resourcesRaw).length > 500) throw formatError('Number of resources, 501, is greater than maximum allowed, 500');
  const resources: Record<string, ResourceDecl> = {};
  const unknownTypes = new Set<string>();
  for (const [logicalId, decl] of Object.entries(resourcesRaw)) {
    if (!LOGICAL_ID.test(logicalId)) throw formatError(`Resource name ${logicalId} is non alphanumeric.`);
    if (!isObject(decl) || typeof decl.Type !== 'string') throw formatError(`[/Resources/${logicalId}] Every Resources object must contain a Type member.`);
    const badKey = Object.keys(decl).find((k) => !RESOURCE_KEYS.has(k));
    if (badKey) throw formatError(`[/Resources/${logicalId}] Invalid template resource property '${badKey}'`);
    if (!typeInfo(decl.Type)) unknownTypes.add(decl.Type);
    if (decl.Properties !== undefined && !isObject(decl.Properties)) throw formatError(`[/Resources/${logicalId}/Properties] Every Properties member must be an object`);
    const dependsOn = listOf(decl.DependsOn);
    if (dependsOn.some((d) => typeof d !== 'string')) throw formatError(`[/Resources/${logicalId}/DependsOn] DependsOn must be a string or a list of strings`);
    resources[logicalId] = {
      Type: decl.Type,
      Properties: (decl.Properties as JsonObject | undefined) ?? {},
      DependsOn: dependsOn as string[],
      Condition: asText(decl.Condition),
      DeletionPolicy: asText(decl.DeletionPolicy),
      UpdateReplacePolicy: asText(decl.UpdateReplacePolicy),
    };
  }
  if (unknownTypes.size) throw formatError(`Unrecognized resource types: [${[...unknownTypes].join(', ')}]`);

  const outputs: Record<string, OutputDecl> = {};
  for (const [key, decl] of Object.entries(section(raw, 'Outputs'))) {
    if (!LOGICAL_ID.test(key)) throw formatError(`Output name ${key} is non alphanumeric.`);
    if (!isObject(decl) || decl.Value === undefined || decl.Value === null) throw formatError('Every Outputs member must contain a Value object');
    const badKey = Object.keys(decl).find((k) => !OUTPUT_KEYS.has(k));
    if (badKey) throw formatError(`Invalid outputs property : [${badKey}]`);
    const exportName = isObject(decl.Export) ? decl.Export.Name : undefined;
    outputs[key] = { Value: decl.Value, Description: asText(decl.Description), Condition: asText(decl.Condition), ExportName: exportName };
  }
  if (Object.keys(outputs).length > 200) throw formatError('Number of outputs exceeds the limit of 200');

  const template: Template = {
    body,
    raw,
    description: raw.Description as string | undefined,
    parameters,
    rules: section(raw, 'Rules') as Record<string, JsonObject>,
    mappings: section(raw, 'Mappings'),
    conditions: section(raw, 'Conditions'),
    resources,
    outputs,
  };
  checkReferences(template);
  staticOrder(template);
  return template;
}

function section(raw: JsonObject, name: string): JsonObject {
  const value = raw[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw formatError(`${name} must be an object`);
  return value;
}

function checkReferences(t: Template) {
  const known = (name: string) => PSEUDO_PARAMETERS.has(name) || name in t.parameters || name in t.resources;
  const conditionExists = (name: string) => {
    if (!(name in t.conditions)) throw templateError(`unresolved condition dependency ${name} in Fn::If`);
  };

  for (const [name, expr] of Object.entries(t.conditions)) {
    const { refs, getAtts, conditions } = collectReferences(expr);
    const bad = [...refs].filter((r) => !(r in t.parameters) && !PSEUDO_PARAMETERS.has(r));
    if (bad.length || getAtts.length) {
      throw formatError(`Unresolved dependencies [${[...bad, ...getAtts.map(([r]) => r)].join(', ')}]. Cannot reference resources in the Conditions block of the template`);
    }
    collectConditionNames(expr).forEach((c) => {
      if (!(c in t.conditions)) throw formatError(`Unresolved condition dependency ${c} in Conditions block of the template: ${name}`);
    });
    conditions.forEach(conditionExists);
  }
  conditionOrder(t);

  for (const [logicalId, r] of Object.entries(t.resources)) {
    if (r.Condition !== undefined && !(r.Condition in t.conditions)) throw formatError(`Unresolved resource dependencies [${r.Condition}] in the Resources block of the template`);
    const missingDeps = r.DependsOn.filter((d) => !(d in t.resources));
    if (missingDeps.length) throw unresolved(missingDeps, 'Resources');
    const { refs, getAtts, conditions } = collectReferences(r.Properties);
    const bad = [...refs].filter((ref) => !known(ref));
    if (bad.length) throw unresolved(bad, 'Resources');
    conditions.forEach(conditionExists);
    for (const [target, attribute] of getAtts) checkGetAtt(t, target, attribute);
    if (logicalId in t.parameters) throw formatError(`Template resource name ${logicalId} conflicts with a parameter name`);
  }

  for (const output of Object.values(t.outputs)) {
    if (output.Condition !== undefined && !(output.Condition in t.conditions)) throw formatError(`Unresolved condition dependency ${output.Condition} in Outputs block of the template`);
    for (const expr of [output.Value, output.ExportName ?? null]) {
      const { refs, getAtts, conditions } = collectReferences(expr);
      const bad = [...refs].filter((ref) => !known(ref));
      if (bad.length) throw unresolved(bad, 'Outputs');
      conditions.forEach(conditionExists);
      for (const [target, attribute] of getAtts) checkGetAtt(t, target, attribute);
    }
  }
}

function checkGetAtt(t: Template, target: string, attribute: string) {
  const resource = t.resources[target];
  if (!resource) throw templateError(`instance of Fn::GetAtt references undefined resource ${target}`);
  if (isCustomType(resource.Type)) return;
  // A nested stack's outputs are only known once it exists; a missing one fails at run time.
  if (resource.Type === 'AWS::CloudFormation::Stack' && /^Outputs\.[A-Za-z0-9]+$/.test(attribute)) return;
  const info = typeInfo(resource.Type);
  if (info && !(attribute in info.attributeNames)) throw templateError(`resource ${target} does not support attribute type ${attribute} in Fn::GetAtt`);
}

function collectConditionNames(expr: Json): string[] {
  const out: string[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (Object.keys(node).length === 1 && typeof node.Condition === 'string') out.push(node.Condition);
    Object.values(node).forEach(walk);
  };
  walk(expr);
  return out;
}

/** Conditions may refer to each other, but not in a circle. */
function conditionOrder(t: Template) {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw formatError(`Circular condition dependency between conditions: [${[...visiting].join(', ')}]`);
    visiting.add(name);
    collectConditionNames(t.conditions[name] ?? null).forEach(visit);
    visiting.delete(name);
    done.add(name);
  };
  Object.keys(t.conditions).forEach(visit);
}

/** Resource-to-resource dependencies: DependsOn, Ref and GetAtt (optionally pruned by conditions). */
export function resourceDependencies(t: Template, logicalId: string, prune?: (condition: string) => boolean): string[] {
  const r = t.resources[logicalId]!;
  const { refs, getAtts } = collectReferences(r.Properties, prune);
  const deps = new Set<string>(r.DependsOn);
  refs.forEach((ref) => ref in t.resources && deps.add(ref));
  getAtts.forEach(([target]) => target in t.resources && deps.add(target));
  deps.delete(logicalId);
  return [...deps];
}

function staticOrder(t: Template) {
  const graph = new Map(Object.keys(t.resources).map((id) => [id, resourceDependencies(t, id)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const inCycle = new Set<string>();
  const stack: string[] = [];
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      stack.slice(stack.indexOf(id)).forEach((x) => inCycle.add(x));
      return;
    }
    state.set(id, 'visiting');
    stack.push(id);
    graph.get(id)!.forEach(visit);
    stack.pop();
    state.set(id, 'done');
  };
  [...graph.keys()].forEach(visit);
  if (inCycle.size) throw new AwsError('ValidationError', `Circular dependency between resources: [${[...inCycle].join(', ')}]`);
}
