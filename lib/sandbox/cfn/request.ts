// What every stack-changing call shares: the context it runs in, the template it names
// (inline, from the sandbox's S3, or the stack's previous one), its parameters, tags and
// capabilities, validated the way CloudFormation validates them before accepting the call.
import type { Identity } from '../auth/identity';
import { AwsError, validationError } from '../core/errors';
import type { Clock } from '../core/clock';
import type { Faults } from '../core/faults';
import { bucketAccount, regionState, type RegionState, type SandboxState, type Tag } from '../core/state';
import { requiredCapability } from '../resources/registry';
import type { Engine } from './engine';
import { collectReferences, unresolved } from './intrinsics';
import { deepEqual } from './json';
import type { StackRecord } from './model';
import { checkSsmParameters, resolveParameters, type ParamInput } from './parameters';
import { bool, list, str, strList, type QueryParams } from '../protocols/query';
import { checkRules } from './rules';
import { activeResources, buildScope, conditionValues } from './scope';
import { loadTemplate, type Template } from './template';

export interface CfnContext {
  world: SandboxState;
  region: string;
  engine: Engine;
  clock: Clock;
  /** The quirks of other emulators in effect change what some calls answer. */
  faults: Pick<Faults, 'quirks'>;
  identity: Identity;
  /** Host[:port] of the sandbox endpoint, so TemplateURLs may point at it directly. */
  endpointHost: string;
}

export const TEMPLATE_BODY_LIMIT = 51_200;
const TEMPLATE_URL_LIMIT = 1_000_000;
const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];
export const UPDATABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

export const region = (ctx: CfnContext): RegionState => regionState(ctx.world, ctx.identity.account, ctx.region);

export function checkStackName(name: string | undefined, field = 'stackName'): string {
  if (name === undefined || name === '') throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (name.length > 128 || !STACK_NAME.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`,
    );
  }
  return name;
}

/** The live stack named `nameOrId`, or any stack (even deleted) by its ARN. */
export function findStack(ctx: CfnContext, nameOrId: string): StackRecord | undefined {
  const stacks = region(ctx).stacks;
  if (nameOrId.startsWith('arn:')) return stacks.find((s) => s.stackId === nameOrId);
  for (let i = stacks.length - 1; i >= 0; i--) if (stacks[i]!.stackName === nameOrId && !stacks[i]!.deletedAt) return stacks[i];
  return undefined;
}

export function requireStack(ctx: CfnContext, nameOrId: string | undefined): StackRecord {
  if (!nameOrId) throw validationError('1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
  const stack = findStack(ctx, nameOrId);
  if (!stack) throw validationError(`Stack with id ${nameOrId} does not exist`);
  return stack;
}

export function requireUpdatable(stack: StackRecord) {
  if (!UPDATABLE.has(stack.status)) throw validationError(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
}

/** The template text a request names; `previous` serves UsePreviousTemplate. */
export function templateBodyOf(ctx: CfnContext, params: QueryParams, previous?: StackRecord): string {
  const body = str(params, 'TemplateBody');
  const url = str(params, 'TemplateURL');
  const usePrevious = bool(params, 'UsePreviousTemplate');
  if (usePrevious) {
    if (body !== undefined || url !== undefined) throw validationError('You cannot specify both usePreviousTemplate and Template Body/Template URL');
    if (!previous) throw validationError('UsePreviousTemplate can only be used with an existing stack');
    return previous.templateBody;
  }
  if (body !== undefined && url !== undefined) throw validationError('You cannot specify both TemplateURL and TemplateBody');
  if (body !== undefined) {
    if (Buffer.byteLength(body) > TEMPLATE_BODY_LIMIT) {
      throw validationError(
        `1 validation error detected: Value '${body}' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_LIMIT}`,
      );
    }
    return body;
  }
  if (url !== undefined) return fetchTemplateUrl(ctx, url);
  throw validationError('Either Template URL or Template Body must be specified.');
}

function fetchTemplateUrl(ctx: CfnContext, url: string): string {
  return readTemplateUrl(ctx.world, ctx.endpointHost, url, ctx.identity.account);
}

/**
 * Reads a TemplateURL from the sandbox's S3 (every S3 URL form, plus the endpoint itself) as
 * `account` (bucket policies are not modelled: only its own buckets); nested stacks read theirs here too.
 */
export function readTemplateUrl(world: SandboxState, endpointHost: string, url: string, account: string): string {
  if (url.length > 1024) throw validationError(`1 validation error detected: Value '${url}' at 'templateURL' failed to satisfy constraint: Member must have length less than or equal to 1024`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw validationError('TemplateURL must be a supported URL.');
  }
  const location = s3Location(parsed, endpointHost);
  if (!location) throw validationError('TemplateURL must be a supported URL.');
  const bucket = world.buckets[location.bucket];
  const object = bucket && bucketAccount(bucket) === account ? bucket.objects[location.key] : undefined;
  if (!object) throw validationError('TemplateURL must reference a valid S3 object to which you have access.');
  const bytes = Buffer.from(object.body, 'base64');
  if (bytes.length > TEMPLATE_URL_LIMIT) throw validationError(`Template may not exceed ${TEMPLATE_URL_LIMIT} bytes in size.`);
  return bytes.toString('utf8');
}

export function s3Location(url: URL, endpointHost: string): { bucket: string; key: string } | undefined {
  const path = url.pathname.split('/').slice(1).map(decodeURIComponent);
  const host = url.hostname;
  const virtual = /^(.+)\.s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/.exec(host);
  if (virtual && virtual[1] !== undefined && !virtual[1].startsWith('s3')) return { bucket: virtual[1], key: path.join('/') };
  const pathStyle = /^s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/.test(host) || url.host === endpointHost;
  if (pathStyle && path.length >= 2 && path[0]) return { bucket: path[0], key: path.slice(1).join('/') };
  return undefined;
}

export function parameterInputs(params: QueryParams): ParamInput[] {
  return list(params, 'Parameters').map((p) => ({
    key: str(p, 'ParameterKey') ?? '',
    value: str(p, 'ParameterValue'),
    usePreviousValue: bool(p, 'UsePreviousValue'),
  }));
}

export function tagsOf(params: QueryParams): Tag[] | undefined {
  if (!('Tags' in params)) return undefined;
  return list(params, 'Tags').map((t) => ({ Key: str(t, 'Key') ?? '', Value: str(t, 'Value') ?? '' }));
}

export function capabilitiesOf(params: QueryParams): string[] {
  const given = strList(params, 'Capabilities');
  const bad = given.filter((c) => !CAPABILITIES.includes(c));
  if (bad.length) {
    throw validationError(
      `1 validation error detected: Value '[${bad.join(', ')}]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${CAPABILITIES.join(', ')}]]`,
    );
  }
  return given;
}

/** The capabilities a template needs and the resource types that need them. */
export function neededCapabilities(template: Template) {
  const needed = new Set<string>();
  const types = new Set<string>();
  for (const r of Object.values(template.resources)) {
    const capability = requiredCapability(r.Type, r.Properties);
    if (capability) {
      needed.add(capability);
      types.add(r.Type);
    }
  }
  return { needed, types };
}

export function checkCapabilities(template: Template, given: string[]) {
  const { needed } = neededCapabilities(template);
  if (needed.has('CAPABILITY_NAMED_IAM') && !given.includes('CAPABILITY_NAMED_IAM')) {
    throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
  }
  if (needed.has('CAPABILITY_IAM') && !given.includes('CAPABILITY_IAM') && !given.includes('CAPABILITY_NAMED_IAM')) {
    throw new AwsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]');
  }
}

export interface Deployment {
  templateBody: string;
  template: Template;
  values: Record<string, string>;
  capabilities: string[];
}

/** Everything CloudFormation checks before accepting a create, update or change set. */
export function prepareDeployment(ctx: CfnContext, stackName: string, params: QueryParams, previous?: StackRecord): Deployment {
  const templateBody = templateBodyOf(ctx, params, previous);
  return checkDeployment(
    region(ctx),
    { stackName, stackId: previous?.stackId ?? '', region: ctx.region, account: ctx.identity.account },
    templateBody,
    parameterInputs(params),
    previous?.parameters,
    () => capabilitiesOf(params),
  );
}

/**
 * The checks on a template and its parameter values, shared by the API calls and by nested stacks
 * (whose parent passes them their parameters and its capabilities).
 */
export function checkDeployment(
  r: RegionState,
  identity: { stackName: string; stackId: string; region: string; account: string },
  templateBody: string,
  inputs: ParamInput[],
  previousValues: Record<string, string> | undefined,
  capabilitiesFor: () => string[],
): Deployment {
  const template = loadTemplate(templateBody);
  const values = resolveParameters(template, inputs, previousValues);
  checkSsmParameters(template, values, r);
  checkRules(template, values, r);
  const scope = buildScope(template, values, { ...identity, notificationArns: [] }, r, { isResource: (id) => id in template.resources, ref: () => '', attr: () => '' });
  const conditions = conditionValues(template, scope);
  const active = new Set(activeResources(template, conditions));
  for (const id of active) {
    const { refs, getAtts } = collectReferences(template.resources[id]!.Properties, (c) => conditions[c] === true);
    const inactive = [...refs, ...getAtts.map(([target]) => target)].filter((name) => name in template.resources && !active.has(name));
    if (inactive.length) throw unresolved([...new Set(inactive)], 'Resources');
    const deps = template.resources[id]!.DependsOn.filter((d) => !active.has(d));
    if (deps.length) throw unresolved(deps, 'Resources');
  }
  const capabilities = capabilitiesFor();
  checkCapabilities(template, capabilities);
  return { templateBody, template, values, capabilities };
}

/** UpdateStack's and CreateChangeSet's "nothing changed" test: same template, values and tags. */
export function isNoop(stack: StackRecord, deployment: Deployment, tags: Tag[] | undefined): boolean {
  return (
    deepEqual(loadTemplate(stack.templateBody).raw, deployment.template.raw) &&
    deepEqual(stack.parameters, deployment.values) &&
    (tags === undefined || deepEqual(stack.tags, tags))
  );
}

/** ClientRequestToken idempotency: true when this token already started this action. */
export function seenToken(stack: StackRecord | undefined, token: string | undefined, action: string): boolean {
  if (token !== undefined && !/^[a-zA-Z0-9][-a-zA-Z0-9]{0,127}$/.test(token)) {
    throw validationError(
      `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][-a-zA-Z0-9]*`,
    );
  }
  if (!stack || !token) return false;
  const previous = stack.tokens[token];
  if (previous === undefined) return false;
  if (previous !== action) throw validationError(`ClientRequestToken ${token} was already used for ${previous} on stack ${stack.stackName}`);
  return true;
}
