// Nested stacks (AWS::CloudFormation::Stack): what a parent passes its child (template from the
// sandbox's S3, parameters, capabilities, tags), the child's record and name, when the parent's
// resource task may finish, and the "Embedded stack …" reasons CloudFormation reports.
import { AwsError } from '../core/errors';
import { cfnSuffix, uuid } from '../core/ids';
import { dict, stackAccount, type RegionState, type SandboxState, type Tag } from '../core/state';
import type { AttrValue } from './intrinsics';
import { isObject, type JsonObject } from './json';
import type { StackRecord, TaskAction } from './model';
import { checkDeployment, readTemplateUrl, type Deployment } from './request';

export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** CloudFormation names a nested stack `<parent>-<LogicalId>-<SUFFIX>`, trimming the first two so the whole fits in 100 characters. */
export function nestedStackName(parentName: string, logicalId: string): string {
  const suffix = cfnSuffix(13);
  const budget = 100 - suffix.length - 2;
  let parent = parentName;
  let logical = logicalId;
  if (parent.length + logical.length > budget) {
    logical = logical.slice(0, Math.max(Math.floor(budget / 2), budget - parent.length));
    parent = parent.slice(0, budget - logical.length);
  }
  return `${parent}-${logical}-${suffix}`;
}

/** A new child's stack id, in its parent's account and region. */
export function childStackId(parent: StackRecord, stackName: string): string {
  return `arn:aws:cloudformation:${parent.region}:${stackAccount(parent)}:stack/${stackName}/${uuid()}`;
}

/** Property problems of a nested stack resource, worded like the registry's schema errors. */
export function nestedPropertyProblems(properties: JsonObject): string[] {
  const problems: string[] = [];
  if (typeof properties.TemplateURL !== 'string' || properties.TemplateURL === '') problems.push('#: required key [TemplateURL] not found');
  const parameters = properties.Parameters;
  if (parameters !== undefined && parameters !== null) {
    if (!isObject(parameters)) problems.push(`#/Parameters: expected type: JSONObject, found: ${Array.isArray(parameters) ? 'JSONArray' : typeof parameters}`);
    else {
      for (const [key, value] of Object.entries(parameters)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
          problems.push(`#/Parameters/${key}: expected type: String, found: ${Array.isArray(value) ? 'JSONArray' : 'JSONObject'}`);
        }
      }
    }
  }
  return problems;
}

/** The tags a nested stack carries: its parent's stack tags, then the resource's own Tags. */
export function nestedTags(parent: StackRecord, properties: JsonObject): Tag[] {
  const byKey = new Map(parent.tags.map((t) => [t.Key, t.Value]));
  if (Array.isArray(properties.Tags)) {
    for (const tag of properties.Tags) if (isObject(tag)) byKey.set(String(tag.Key), String(tag.Value));
  }
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Reads the child's template from the sandbox's S3 and checks it with the parameters the parent
 * passes and the parent's capabilities: a nested stack is created or updated with the capabilities
 * acknowledged on the parent's call.
 */
export function nestedDeployment(
  world: SandboxState,
  r: RegionState,
  endpointHost: string,
  parent: StackRecord,
  properties: JsonObject,
  identity: { stackName: string; stackId: string },
  /** A nested change set's template: executing it applies what it showed. */
  plannedBody?: string,
): Deployment {
  const body = plannedBody ?? readTemplateUrl(world, endpointHost, String(properties.TemplateURL), stackAccount(parent));
  const given = isObject(properties.Parameters) ? properties.Parameters : {};
  const inputs = Object.entries(given).map(([key, value]) => ({ key, value: String(value) }));
  return checkDeployment(r, { ...identity, region: parent.region, account: stackAccount(parent) }, body, inputs, undefined, () => parent.capabilities);
}

export const errorMessage = (error: unknown) => (error instanceof AwsError || error instanceof Error ? error.message : String(error));

/** A child stack record, in the parent's region, before its creation starts. */
export function nestedStackRecord(parent: StackRecord, logicalId: string, stackId: string, stackName: string, deployment: Deployment, properties: JsonObject, now: number): StackRecord {
  const notifications = Array.isArray(properties.NotificationARNs) ? properties.NotificationARNs.filter((a): a is string => typeof a === 'string') : parent.notificationArns;
  return {
    stackId,
    stackName,
    region: parent.region,
    status: 'CREATE_IN_PROGRESS',
    createdAt: now,
    description: deployment.template.description,
    templateBody: deployment.templateBody,
    parameters: deployment.values,
    capabilities: [...parent.capabilities],
    tags: nestedTags(parent, properties),
    notificationArns: notifications,
    roleArn: parent.roleArn,
    disableRollback: parent.disableRollback,
    terminationProtection: false,
    resources: {},
    outputs: [],
    imports: [],
    events: [],
    tokens: dict(),
    parentId: parent.stackId,
    rootId: parent.rootId ?? parent.stackId,
    logicalIdInParent: logicalId,
  };
}

/** GetAtt values of a nested stack resource: `Outputs.<Name>` for each of the child's outputs. */
export function nestedAttributes(child: StackRecord): Record<string, AttrValue> {
  const attributes: Record<string, AttrValue> = { StackId: child.stackId };
  for (const output of child.outputs) attributes[`Outputs.${output.key}`] = output.value;
  return attributes;
}

const CREATE_FAILED = new Set(['CREATE_FAILED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'DELETE_FAILED']);
const UPDATE_FAILED = new Set(['UPDATE_FAILED', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_FAILED']);

const idle = (child: StackRecord) => !child.operation || child.operation.halted === true;

/** Whether the child reached the point where the parent's task for it ends (in success or failure). */
export function childSettled(child: StackRecord, action: TaskAction): boolean {
  switch (action) {
    case 'create':
      return child.status === 'CREATE_COMPLETE' || CREATE_FAILED.has(child.status);
    case 'update':
      return child.operation?.parked === true || (idle(child) && child.status === 'UPDATE_COMPLETE') || UPDATE_FAILED.has(child.status);
    default:
      return idle(child);
  }
}

/** Whether the child ended the way the parent's task needs. */
export function childSucceeded(child: StackRecord | undefined, action: TaskAction): boolean {
  if (!child) return action !== 'create' && action !== 'update';
  switch (action) {
    case 'create':
      return child.status === 'CREATE_COMPLETE';
    case 'update':
      return child.operation?.parked === true || child.status === 'UPDATE_COMPLETE';
    case 'revert':
      return !child.status.endsWith('_FAILED');
    case 'settle':
      return true;
    default:
      return child.status === 'DELETE_COMPLETE';
  }
}

/** The parent resource's reason when its nested stack did not end as it should. */
export function embeddedFailure(child: StackRecord, action: TaskAction): string {
  const failure = child.failure ?? { status: child.status, reason: child.reason ?? '' };
  if (action === 'create') return `Embedded stack ${child.stackId} was not successfully created: ${failure.reason}`;
  if (action === 'update' || action === 'revert') {
    return `Embedded stack ${child.stackId} was not successfully updated. Currently in ${failure.status} with reason: ${failure.reason}`;
  }
  return `Embedded stack ${child.stackId} was not successfully deleted: ${failure.reason}`;
}

/** `root/LogicalId/LogicalId…`: how faults name a resource's stack inside a nesting. */
export function stackPath(stack: StackRecord, find: (stackId: string) => StackRecord | undefined): string {
  const parts: string[] = [];
  let current: StackRecord | undefined = stack;
  while (current?.parentId && current.logicalIdInParent) {
    parts.unshift(current.logicalIdInParent);
    current = find(current.parentId);
  }
  return [current?.stackName ?? stack.stackName, ...parts].join('/');
}
