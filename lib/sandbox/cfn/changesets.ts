// Change sets: CREATE and UPDATE types, the Add/Modify/Remove diff with Replacement, Scope
// and Details as CloudFormation reports them, their CREATE_PENDING → CREATE_COMPLETE life,
// execution, deletion and listing.
import { AwsError, validationError } from '../core/errors';
import { uuid } from '../core/ids';
import { ACCOUNT_ID } from '../auth/identity';
import { dict, type Tag } from '../core/state';
import { bool, str, type QueryParams } from '../protocols/query';
import type { XmlValue } from '../protocols/xml';
import { typeInfo } from '../resources/registry';
import { collectReferences, evaluate, Unknown, type AttrValue, type Value } from './intrinsics';
import { deepEqual, isObject, type Json } from './json';
import type { ChangeSetRecord, ResourceChangeRecord, StackRecord } from './model';
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
import { activeResources, buildScope, conditionValues, missingExport } from './scope';
import { loadTemplate, resourceDependencies, type Template } from './template';

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";
const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;

// ---------------------------------------------------------------- the diff

function topologicalOrder(template: Template, ids: string[], conditions: Record<string, boolean>): string[] {
  const set = new Set(ids);
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    resourceDependencies(template, id, (c) => conditions[c] === true)
      .filter((d) => set.has(d))
      .forEach(visit);
    order.push(id);
  };
  ids.forEach(visit);
  return order;
}

const containsUnknown = (v: unknown): Unknown | undefined => {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) for (const item of v) { const u = containsUnknown(item); if (u) return u; }
  if (isObject(v)) for (const item of Object.values(v)) { const u = containsUnknown(item); if (u) return u; }
  return undefined;
};

/** Evaluates like `evaluate`, but keeps going past unknown values inside objects and lists. */
function plan(expr: Json, scope: Parameters<typeof evaluate>[1]): Value | Record<string, unknown> {
  if (isObject(expr) && Object.keys(expr).some((k) => !k.startsWith('Fn::') && k !== 'Ref')) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(expr)) {
      const v = plan(value, scope);
      if (typeof v !== 'symbol') out[key] = v;
    }
    return out;
  }
  return evaluate(expr, scope);
}

export function computeChanges(
  ctx: CfnContext,
  stack: StackRecord | undefined,
  identity: { stackName: string; stackId: string },
  deployment: Deployment,
): ResourceChangeRecord[] {
  const r = region(ctx);
  const { template, values } = deployment;
  const pending = new Set<string>();
  const scope = buildScope(
    template,
    values,
    { ...identity, region: ctx.region, notificationArns: stack?.notificationArns ?? [] },
    r,
    {
      isResource: (id) => id in template.resources,
      ref: (id): AttrValue | Unknown => (pending.has(id) || !stack?.resources[id]?.physicalId ? new Unknown('ResourceReference', id) : stack.resources[id]!.physicalId!),
      attr: (id, attribute): AttrValue | Unknown => {
        const live = stack?.resources[id];
        if (pending.has(id) || !live || !(attribute in live.attributes)) return new Unknown('ResourceAttribute', `${id}.${attribute}`);
        return live.attributes[attribute]!;
      },
    },
    (name) => {
      const entry = r.exports[name];
      if (!entry) throw missingExport(name);
      return entry.value;
    },
  );
  const conditions = conditionValues(template, scope);
  const active = activeResources(template, conditions);
  const order = topologicalOrder(template, active, conditions);
  const changes = new Map<string, ResourceChangeRecord>();
  const oldTemplate = stack ? loadTemplate(stack.templateBody) : undefined;
  const changedParams = new Set(Object.keys(values).filter((k) => stack?.parameters[k] !== values[k]));

  for (const id of order) {
    const decl = template.resources[id]!;
    const live = stack?.resources[id];
    const planned = plan(decl.Properties, scope);
    if (!live || live.status === 'DELETE_COMPLETE' || !live.physicalId) {
      pending.add(id);
      changes.set(id, { action: 'Add', logicalId: id, resourceType: decl.Type, scope: [], details: [] });
      continue;
    }
    if (live.type !== decl.Type) {
      pending.add(id);
      changes.set(id, { action: 'Modify', logicalId: id, physicalId: live.physicalId, resourceType: decl.Type, replacement: 'True', scope: ['Properties'], details: [] });
      continue;
    }
    const info = typeInfo(decl.Type)!;
    const next = (isObject(planned) ? planned : {}) as Record<string, unknown>;
    const details: ResourceChangeRecord['details'] = [];
    const scopes = new Set<string>();
    for (const key of new Set([...Object.keys(next), ...Object.keys(live.properties)])) {
      const unknown = containsUnknown(next[key]);
      const staticChange = !unknown && !deepEqual(next[key], live.properties[key]);
      if (!unknown && !staticChange) continue;
      const replace = info.custom ? (key === 'ServiceToken' ? 'yes' : undefined) : info.properties[key]?.replace;
      const requiresRecreation: 'Always' | 'Conditionally' | 'Never' = replace === 'yes' ? 'Always' : replace === 'maybe' ? 'Conditionally' : 'Never';
      const attribute = key === 'Tags' ? 'Tags' : 'Properties';
      scopes.add(attribute);
      const target = attribute === 'Tags' ? { attribute, requiresRecreation } : { attribute, name: key, requiresRecreation };
      if (unknown) {
        details.push({ target, evaluation: 'Dynamic', changeSource: unknown.source, causingEntity: unknown.causingEntity });
        continue;
      }
      const rawNew = decl.Properties[key] ?? null;
      const rawOld = oldTemplate?.resources[id]?.Properties[key] ?? null;
      if (deepEqual(rawNew, rawOld)) {
        const param = [...collectReferences(rawNew).refs].find((ref) => changedParams.has(ref));
        details.push({ target, evaluation: 'Static', changeSource: param ? 'ParameterReference' : 'DirectModification', causingEntity: param });
      } else {
        details.push({ target, evaluation: 'Static', changeSource: 'DirectModification' });
      }
    }
    if (!details.length) continue;
    const always = details.filter((d) => d.target.requiresRecreation === 'Always');
    const replacement = always.some((d) => d.evaluation === 'Static')
      ? 'True'
      : always.length || details.some((d) => d.target.requiresRecreation === 'Conditionally')
        ? 'Conditional'
        : 'False';
    if (replacement === 'True') pending.add(id);
    changes.set(id, { action: 'Modify', logicalId: id, physicalId: live.physicalId, resourceType: decl.Type, replacement, scope: [...scopes], details });
  }
  const ordered = Object.keys(template.resources).filter((id) => changes.has(id)).map((id) => changes.get(id)!);
  const activeSet = new Set(active);
  for (const [id, live] of Object.entries(stack?.resources ?? {})) {
    if (activeSet.has(id) || live.status === 'DELETE_COMPLETE') continue;
    ordered.push({ action: 'Remove', logicalId: id, physicalId: live.physicalId, resourceType: live.type, scope: [], details: [] });
  }
  return ordered;
}

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
  if (type === 'UPDATE' && isNoop(stack, deployment, tagsOf(params))) {
    status = 'FAILED';
    statusReason = NO_CHANGES;
  } else {
    try {
      changes = computeChanges(ctx, type === 'UPDATE' ? stack : undefined, identity, deployment);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      status = 'FAILED';
      statusReason = error.message;
    }
  }
  const changeSetId = `arn:aws:cloudformation:${ctx.region}:${ACCOUNT_ID}:changeSet/${name}/${uuid()}`;
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
  };
  r.changeSets[changeSetId] = record;
  return { Id: changeSetId, StackId: stack.stackId };
}

export function newStack(ctx: CfnContext, stackName: string, deployment: Deployment, tags: Tag[], params: QueryParams): StackRecord {
  return {
    stackId: `arn:aws:cloudformation:${ctx.region}:${ACCOUNT_ID}:stack/${stackName}/${uuid()}`,
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
    IncludeNestedStacks: false,
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
  for (const other of Object.values(region(ctx).changeSets)) {
    if (other.stackId === stack.stackId && other !== cs) other.executionStatus = 'OBSOLETE';
  }
  cs.executionStatus = 'EXECUTE_IN_PROGRESS';
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
        IncludeNestedStacks: false,
      };
    });
  return { Summaries: summaries };
}

/** The template of a change set, for GetTemplate with ChangeSetName. */
export function changeSetTemplate(ctx: CfnContext, name: string, stackName: string | undefined): string {
  return findChangeSet(ctx, name, stackName).templateBody;
}


