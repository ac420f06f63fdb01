// IncludeNestedStacks: a change set for each nested stack a change set adds or modifies, made
// with it (a new child waits in REVIEW_IN_PROGRESS), listed under its root, executed and deleted
// only from the root (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/change-sets-for-nested-stacks.html).
import { AwsError, validationError } from '../core/errors';
import { cfnSuffix, uuid } from '../core/ids';
import type { RegionState, SandboxState } from '../core/state';
import { computeChanges, containsUnknown } from './diff';
import { isObject, type JsonObject } from './json';
import type { ChangeSetRecord, StackRecord } from './model';
import { STACK_TYPE, childStackId, errorMessage, nestedStackName, nestedStackRecord } from './nested';
import { checkSsmParameters, resolveParameters } from './parameters';
import { checkCapabilities, readTemplateUrl, type Deployment } from './request';
import { checkRules } from './rules';
import { loadTemplate } from './template';

export const NESTED_REASON = 'Executable from root change set';

export interface NestedContext {
  world: SandboxState;
  r: RegionState;
  region: string;
  /** The root stack's account: children live there and read their templates as it. */
  account: string;
  endpointHost: string;
  now: number;
  /** Emits a stack-level event (a new child's REVIEW_IN_PROGRESS). */
  stackEvent(stack: StackRecord, status: string, reason?: string): void;
}

const changeSetName = (parent: string, logicalId: string) => `${parent.slice(0, 128 - logicalId.length - 15)}-${logicalId}-${cfnSuffix(13)}`;

/** The change sets under a root change set, nearest first. */
export const nestedChangeSetsOf = (r: RegionState, rootId: string) => Object.values(r.changeSets).filter((cs) => cs.rootChangeSetId === rootId);

/**
 * The child's template and values as planned: parameters fed by values only known at execution
 * keep a stand-in (the child's current value, else the default) for conditions, and show as
 * unknown in the child's diff; their constraints and the template's rules wait for execution.
 */
function plannedDeployment(ctx: NestedContext, properties: Record<string, unknown>, child: StackRecord | undefined, capabilities: string[]) {
  if (typeof properties.TemplateURL !== 'string') throw validationError('TemplateURL must be known when the change set is created');
  const body = readTemplateUrl(ctx.world, ctx.endpointHost, properties.TemplateURL, ctx.account);
  const template = loadTemplate(body);
  const given = isObject(properties.Parameters as JsonObject) ? (properties.Parameters as Record<string, unknown>) : {};
  const unknown = new Set(Object.keys(given).filter((key) => containsUnknown(given[key])));
  const inputs = Object.entries(given).map(([key, value]) => ({
    key,
    value: unknown.has(key) ? (child?.parameters[key] ?? template.parameters[key]?.Default ?? '') : String(value),
  }));
  const values = resolveParameters(template, inputs, undefined, unknown);
  if (!unknown.size) {
    checkSsmParameters(template, values, ctx.r);
    checkRules(template, values, ctx.r);
  }
  checkCapabilities(template, capabilities);
  const deployment: Deployment = { templateBody: body, template, values, capabilities };
  return { deployment, unknown };
}

/**
 * Makes the nested change sets of `parent` (recursively); returns the reason the parent fails
 * with when one of them cannot be made.
 */
export function createNestedChangeSets(ctx: NestedContext, parent: ChangeSetRecord, parentStack: StackRecord, planned: Map<string, Record<string, unknown>>): string | undefined {
  const rootId = parent.rootChangeSetId ?? parent.changeSetId;
  for (const change of parent.changes) {
    const properties = planned.get(change.logicalId);
    if (change.resourceType !== STACK_TYPE || change.action === 'Remove' || !properties) continue;
    const name = changeSetName(parent.changeSetName, change.logicalId);
    const changeSetId = `arn:aws:cloudformation:${ctx.region}:${parent.changeSetId.split(':')[4]}:changeSet/${name}/${uuid()}`;
    let child = change.action === 'Modify' ? ctx.r.stacks.find((s) => s.stackId === change.physicalId) : undefined;
    const record: ChangeSetRecord = {
      changeSetId,
      changeSetName: name,
      stackId: child?.stackId ?? '',
      stackName: child?.stackName ?? nestedStackName(parentStack.stackName, change.logicalId),
      region: ctx.region,
      type: child ? 'UPDATE' : 'CREATE',
      status: 'CREATE_COMPLETE',
      statusReason: NESTED_REASON,
      executionStatus: 'UNAVAILABLE',
      createdAt: ctx.now,
      templateBody: child?.templateBody ?? '',
      parameters: {},
      capabilities: parent.capabilities,
      tags: parent.tags,
      notificationArns: parent.notificationArns,
      changes: [],
      includeNestedStacks: true,
      parentChangeSetId: parent.changeSetId,
      rootChangeSetId: rootId,
    };
    ctx.r.changeSets[changeSetId] = record;
    change.changeSetId = changeSetId;
    let nested = new Map<string, Record<string, unknown>>();
    try {
      const { deployment, unknown } = plannedDeployment(ctx, properties, child, parent.capabilities);
      if (!child) {
        const stackId = childStackId(parentStack, record.stackName);
        child = nestedStackRecord(parentStack, change.logicalId, stackId, record.stackName, deployment, properties as JsonObject, ctx.now);
        child.status = 'REVIEW_IN_PROGRESS';
        ctx.r.stacks.push(child);
        ctx.stackEvent(child, 'REVIEW_IN_PROGRESS', 'User Initiated');
        change.nestedStackId = child.stackId;
        record.stackId = child.stackId;
      }
      record.templateBody = deployment.templateBody;
      record.parameters = deployment.values;
      nested = new Map();
      record.changes = computeChanges(ctx.r, ctx.region, record.type === 'UPDATE' ? child : undefined, child, deployment, { unknownParams: unknown, nested });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      record.status = 'FAILED';
      record.statusReason = errorMessage(error);
      return `Nested change set ${changeSetId} was not successfully created: Currently in FAILED.`;
    }
    const failure = createNestedChangeSets(ctx, record, child, nested);
    if (failure) {
      record.status = 'FAILED';
      record.statusReason = failure;
      return `Nested change set ${changeSetId} was not successfully created: Currently in FAILED.`;
    }
  }
  return undefined;
}

/** Removes a root's nested change sets, and the REVIEW_IN_PROGRESS stacks they made for new children. */
export function discardNestedChangeSets(r: RegionState, rootId: string, now: number) {
  for (const cs of nestedChangeSetsOf(r, rootId)) {
    const child = r.stacks.find((s) => s.stackId === cs.stackId);
    if (child && child.status === 'REVIEW_IN_PROGRESS' && cs.type === 'CREATE') {
      child.status = 'DELETE_COMPLETE';
      child.deletedAt = now;
    }
    delete r.changeSets[cs.changeSetId];
  }
}
