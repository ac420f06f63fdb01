// Change sets: CREATE and UPDATE types, the Add/Modify/Remove diff with Replacement, Scope
// and Details as CloudFormation reports them, their CREATE_PENDING → CREATE_COMPLETE life,
// execution, deletion and listing.
import { AwsError, validationError } from '../core/errors';
import { uuid } from '../core/ids';
import { dict, type Tag } from '../core/state';
import { bool, str, type QueryParams } from '../protocols/query';
import type { XmlValue } from '../protocols/xml';
import { computeChanges } from './diff';
import type { ChangeSetRecord, ResourceChangeRecord, StackRecord } from './model';
import { createNestedChangeSets, discardNestedChangeSets, nestedChangeSetsOf } from './nested-changesets';
import { displayValue } from './parameters';
import {
  checkStackName,
  findStack,
  isNoop,
  prepareDeployment,
  region,
  requireUpdatable,
  seenToken,
  tagsOf,
  type CfnContext,
  type Deployment,
} from './request';
import { loadTemplate } from './template';

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";
const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

// ---------------------------------------------------------------- records and lookups

/**
 * A change set takes ~1 s pending and ~4 s in progress (scaled) before its outcome shows; once it
 * has shown it stays, whatever the time scale does afterwards (AWS never takes a change set back).
 */
function currentStatus(cs: ChangeSetRecord, clock: CfnContext['clock']): { status: string; execution: string } {
  const now = clock.now();
  if (!cs.settled) {
    if (now < clock.endOf(cs.createdAt, 1)) return { status: 'CREATE_PENDING', execution: 'UNAVAILABLE' };
    if (now < clock.endOf(cs.createdAt, 5)) return { status: 'CREATE_IN_PROGRESS', execution: 'UNAVAILABLE' };
    cs.settled = true;
  }
  return { status: cs.status, execution: cs.executionStatus };
}

function findChangeSet(ctx: CfnContext, name: string | undefined, stackName: string | undefined): ChangeSetRecord {
  if (!name) throw validationError("1 validation error detected: Value null at 'changeSetName' failed to satisfy constraint: Member must not be null");
  const sets = region(ctx).changeSets;
  if (name.startsWith('arn:')) {
    const found = sets[name];
    if (found) return found;
  } else {
    if (!stackName) throw validationError('StackName must be specified if ChangeSetName is not specified as an ARN.');
    const stack = findStack(ctx, stackName);
    const found = Object.values(sets).find((cs) => cs.changeSetName === name && stack && cs.stackId === stack.stackId);
    if (found) return found;
  }
  throw new AwsError('ChangeSetNotFoundException', `ChangeSet [${name}] does not exist`, 404);
}

// ---------------------------------------------------------------- handlers

export function createChangeSet(ctx: CfnContext, params: QueryParams): XmlValue {
  const stackName = checkStackName(str(params, 'StackName'));
  const name = str(params, 'ChangeSetName') ?? '';
  if (!CHANGE_SET_NAME.test(name) || name.length > 128) {
    throw validationError(`1 validation error detected: Value '${name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
  const type = str(params, 'ChangeSetType') ?? 'UPDATE';
  if (type !== 'CREATE' && type !== 'UPDATE') throw validationError(`ChangeSetType ${type} is not supported by the sandbox`);
  const r = region(ctx);
  let stack = findStack(ctx, stackName);
  const clientToken = str(params, 'ClientToken');
  if (clientToken && stack) {
    const same = Object.values(r.changeSets).find((cs) => cs.stackId === stack!.stackId && cs.clientToken === clientToken);
    if (same) return { Id: same.changeSetId, StackId: same.stackId };
  }
  if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') {
    throw validationError(`Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`);
  }
  if (type === 'UPDATE') {
    if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw validationError(`Stack [${stackName}] does not exist`);
    requireUpdatable(stack);
  }
  if (stack && Object.values(r.changeSets).some((cs) => cs.stackId === stack!.stackId && cs.changeSetName === name)) {
    throw new AwsError('AlreadyExistsException', `ChangeSet [${name}] already exists`);
  }
  const deployment = prepareDeployment(ctx, stackName, params, type === 'UPDATE' ? stack : undefined);
  const tags = tagsOf(params) ?? (type === 'UPDATE' ? stack!.tags : []);
  const now = ctx.clock.now();
  if (!stack) {
    stack = newStack(ctx, stackName, deployment, tags, params);
    stack.status = 'REVIEW_IN_PROGRESS';
    r.stacks.push(stack);
    ctx.engine.stackEvent(stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
  }
  const identity = { stackName, stackId: stack.stackId };
  let status: ChangeSetRecord['status'] = 'CREATE_COMPLETE';
  let statusReason: string | undefined;
  let changes: ResourceChangeRecord[] = [];
  const includeNested = bool(params, 'IncludeNestedStacks') === true;
  const planned = new Map<string, Record<string, unknown>>();
  if (type === 'UPDATE' && isNoop(stack, deployment, tagsOf(params))) {
    status = 'FAILED';
    statusReason = NO_CHANGES;
  } else {
    try {
      changes = computeChanges(r, ctx.region, type === 'UPDATE' ? stack : undefined, identity, deployment, { nested: planned });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      status = 'FAILED';
      statusReason = error.message;
    }
  }
  const changeSetId = `arn:aws:cloudformation:${ctx.region}:${ctx.identity.account}:changeSet/${name}/${uuid()}`;
  const record: ChangeSetRecord = {
    changeSetId,
    changeSetName: name,
    stackId: stack.stackId,
    stackName,
    region: ctx.region,
    type,
    description: str(params, 'Description'),
    status,
    statusReason,
    executionStatus: status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE',
    createdAt: now,
    templateBody: deployment.templateBody,
    parameters: deployment.values,
    capabilities: deployment.capabilities,
    tags,
    notificationArns: 'NotificationARNs' in params ? (params.NotificationARNs as string[]) : stack.notificationArns,
    roleArn: str(params, 'RoleARN'),
    changes,
    clientToken,
    onStackFailure: str(params, 'OnStackFailure') as ChangeSetRecord['onStackFailure'],
    includeNestedStacks: includeNested,
  };
  r.changeSets[changeSetId] = record;
  if (includeNested && status === 'CREATE_COMPLETE') {
    const failure = createNestedChangeSets(
      { world: ctx.world, r, region: ctx.region, account: ctx.identity.account, endpointHost: ctx.endpointHost, now, stackEvent: (s, st, reason) => ctx.engine.stackEvent(s, st, reason) },
      record,
      stack,
      planned,
    );
    if (failure) {
      Object.assign(record, { status: 'FAILED', statusReason: failure, executionStatus: 'UNAVAILABLE' });
      discardNestedChangeSets(r, changeSetId, now);
    }
  }
  return { Id: changeSetId, StackId: stack.stackId };
}

export function newStack(ctx: CfnContext, stackName: string, deployment: Deployment, tags: Tag[], params: QueryParams): StackRecord {
  return {
    stackId: `arn:aws:cloudformation:${ctx.region}:${ctx.identity.account}:stack/${stackName}/${uuid()}`,
    stackName,
    region: ctx.region,
    status: 'CREATE_IN_PROGRESS',
    createdAt: ctx.clock.now(),
    description: deployment.template.description,
    templateBody: deployment.templateBody,
    parameters: deployment.values,
    capabilities: deployment.capabilities,
    tags,
    notificationArns: Array.isArray(params.NotificationARNs) ? (params.NotificationARNs as string[]) : [],
    roleArn: str(params, 'RoleARN'),
    disableRollback: bool(params, 'DisableRollback') ?? false,
    terminationProtection: bool(params, 'EnableTerminationProtection') ?? false,
    resources: {},
    outputs: [],
    imports: [],
    events: [],
    tokens: dict(),
  };
}

export function describeChangeSet(ctx: CfnContext, params: QueryParams): XmlValue {
  const cs = findChangeSet(ctx, str(params, 'ChangeSetName'), str(params, 'StackName'));
  const { status, execution } = currentStatus(cs, ctx.clock);
  const complete = status === cs.status;
  const template = loadTemplate(cs.templateBody);
  return {
    ChangeSetName: cs.changeSetName,
    ChangeSetId: cs.changeSetId,
    StackId: cs.stackId,
    StackName: cs.stackName,
    Description: cs.description,
    Parameters: Object.entries(cs.parameters).map(([key, value]) => ({ ParameterKey: key, ParameterValue: displayValue(template.parameters[key], value) })),
    CreationTime: new Date(cs.createdAt),
    ExecutionStatus: execution,
    Status: status,
    StatusReason: complete ? cs.statusReason : undefined,
    NotificationARNs: cs.notificationArns,
    RollbackConfiguration: {},
    Capabilities: cs.capabilities,
    Tags: cs.tags,
    Changes: complete ? cs.changes.map(changeShape) : [],
    IncludeNestedStacks: cs.includeNestedStacks ?? false,
    ParentChangeSetId: cs.parentChangeSetId,
    RootChangeSetId: cs.rootChangeSetId,
    OnStackFailure: cs.onStackFailure,
  };
}

function changeShape(change: ResourceChangeRecord): XmlValue {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: change.action,
      LogicalResourceId: change.logicalId,
      PhysicalResourceId: change.physicalId,
      ResourceType: change.resourceType,
      Replacement: change.replacement,
      ChangeSetId: change.changeSetId,
      Scope: change.scope,
      Details: change.details.map((d) => ({
        Target: { Attribute: d.target.attribute, Name: d.target.name, RequiresRecreation: d.target.requiresRecreation },
        Evaluation: d.evaluation,
        ChangeSource: d.changeSource,
        CausingEntity: d.causingEntity,
      })),
    },
  };
}

export function executeChangeSet(ctx: CfnContext, params: QueryParams): XmlValue {
  const cs = findChangeSet(ctx, str(params, 'ChangeSetName'), str(params, 'StackName'));
  const stack = region(ctx).stacks.find((s) => s.stackId === cs.stackId);
  if (!stack) throw validationError(`Stack [${cs.stackName}] does not exist`);
  const token = str(params, 'ClientRequestToken');
  if (seenToken(stack, token, 'ExecuteChangeSet')) return {};
  const { execution } = currentStatus(cs, ctx.clock);
  if (execution !== 'AVAILABLE') {
    throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.changeSetId}] cannot be executed in its current execution status of [${execution}]`);
  }
  if (cs.type === 'UPDATE') requireUpdatable(stack);
  else if (stack.status !== 'REVIEW_IN_PROGRESS') throw validationError(`Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
  if (token) stack.tokens[token] = 'ExecuteChangeSet';
  const r = region(ctx);
  for (const other of Object.values(r.changeSets)) {
    if (other.stackId !== stack.stackId || other === cs) continue;
    other.executionStatus = 'OBSOLETE';
    for (const nested of nestedChangeSetsOf(r, other.changeSetId)) nested.executionStatus = 'OBSOLETE';
  }
  cs.executionStatus = 'EXECUTE_IN_PROGRESS';
  for (const nested of nestedChangeSetsOf(r, cs.changeSetId)) nested.executionStatus = 'EXECUTE_IN_PROGRESS';
  stack.changeSetId = cs.changeSetId;
  if (cs.type === 'CREATE') {
    stack.templateBody = cs.templateBody;
    stack.parameters = cs.parameters;
    stack.capabilities = cs.capabilities;
    stack.tags = cs.tags;
    stack.description = loadTemplate(cs.templateBody).description;
    const disableRollback = bool(params, 'DisableRollback');
    ctx.engine.beginCreate(stack, token, disableRollback ? 'DO_NOTHING' : (cs.onStackFailure ?? 'ROLLBACK'));
  } else {
    ctx.engine.beginUpdate(
      stack,
      {
        templateBody: cs.templateBody,
        parameters: cs.parameters,
        capabilities: cs.capabilities,
        tags: cs.tags,
        description: loadTemplate(cs.templateBody).description,
        roleArn: cs.roleArn,
        notificationArns: cs.notificationArns,
      },
      token,
    );
  }
  return {};
}

export function deleteChangeSet(ctx: CfnContext, params: QueryParams): XmlValue {
  const cs = findChangeSet(ctx, str(params, 'ChangeSetName'), str(params, 'StackName'));
  if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
    throw new AwsError('InvalidChangeSetStatus', `Cannot delete ChangeSet in status ${cs.executionStatus}`);
  }
  if (cs.rootChangeSetId) throw validationError(`ChangeSet [${cs.changeSetId}] is a nested change set: delete its root change set [${cs.rootChangeSetId}] instead.`);
  discardNestedChangeSets(region(ctx), cs.changeSetId, ctx.clock.now());
  delete region(ctx).changeSets[cs.changeSetId];
  return {};
}

export function listChangeSets(ctx: CfnContext, params: QueryParams): XmlValue {
  const stackName = str(params, 'StackName');
  const stack = stackName ? findStack(ctx, stackName) : undefined;
  if (!stack) throw validationError(`Stack [${stackName ?? ''}] does not exist`);
  const summaries = Object.values(region(ctx).changeSets)
    .filter((cs) => cs.stackId === stack.stackId)
    .map((cs) => {
      const { status, execution } = currentStatus(cs, ctx.clock);
      return {
        StackId: cs.stackId,
        StackName: cs.stackName,
        ChangeSetId: cs.changeSetId,
        ChangeSetName: cs.changeSetName,
        ExecutionStatus: execution,
        Status: status,
        StatusReason: status === cs.status ? cs.statusReason : undefined,
        CreationTime: new Date(cs.createdAt),
        Description: cs.description,
        IncludeNestedStacks: cs.includeNestedStacks ?? false,
        ParentChangeSetId: cs.parentChangeSetId,
        RootChangeSetId: cs.rootChangeSetId,
      };
    });
  return { Summaries: summaries };
}

/** The template of a change set, for GetTemplate with ChangeSetName. */
export function changeSetTemplate(ctx: CfnContext, name: string, stackName: string | undefined): string {
  return findChangeSet(ctx, name, stackName).templateBody;
}


