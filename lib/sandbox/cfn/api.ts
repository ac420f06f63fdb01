// CloudFormation's API over the query protocol: one handler per action, each validating its
// input the way CloudFormation does and answering with CloudFormation's result shapes.
import { AwsError, validationError } from '../core/errors';
import { bool, str, strList, type QueryParams } from '../protocols/query';
import { RawXml, type XmlValue } from '../protocols/xml';
import { changeSetTemplate, createChangeSet, deleteChangeSet, describeChangeSet, executeChangeSet, listChangeSets, newStack } from './changesets';
import { decodeToken, encodeToken, eventShape, resourceShape, resourceSummary, stackShape, stackSummary } from './describe';
import {
  checkStackName,
  findStack,
  isNoop,
  neededCapabilities,
  prepareDeployment,
  region,
  requireStack,
  requireUpdatable,
  seenToken,
  tagsOf,
  templateBodyOf,
  type CfnContext,
} from './request';
import { loadTemplate } from './template';

export const CFN_XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const PAGE = 100;

type Handler = (ctx: CfnContext, params: QueryParams) => XmlValue;

function createStack(ctx: CfnContext, params: QueryParams): XmlValue {
  const stackName = checkStackName(str(params, 'StackName'));
  const token = str(params, 'ClientRequestToken');
  const existing = findStack(ctx, stackName);
  if (existing && seenToken(existing, token, 'CreateStack')) return { StackId: existing.stackId };
  if (existing) throw new AwsError('AlreadyExistsException', `Stack [${stackName}] already exists`);
  const deployment = prepareDeployment(ctx, stackName, params);
  const onFailure = str(params, 'OnFailure') ?? (bool(params, 'DisableRollback') ? 'DO_NOTHING' : 'ROLLBACK');
  if (!['ROLLBACK', 'DO_NOTHING', 'DELETE'].includes(onFailure)) throw validationError(`Invalid OnFailure value ${onFailure}`);
  if (str(params, 'OnFailure') !== undefined && bool(params, 'DisableRollback') !== undefined) {
    throw validationError('You cannot specify both DisableRollback and OnFailure.');
  }
  const stack = newStack(ctx, stackName, deployment, tagsOf(params) ?? [], params);
  stack.disableRollback = onFailure === 'DO_NOTHING';
  if (token) stack.tokens[token] = 'CreateStack';
  region(ctx).stacks.push(stack);
  ctx.engine.beginCreate(stack, token, onFailure as 'ROLLBACK' | 'DO_NOTHING' | 'DELETE');
  return { StackId: stack.stackId };
}

function updateStack(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  const token = str(params, 'ClientRequestToken');
  if (seenToken(stack, token, 'UpdateStack')) return { StackId: stack.stackId };
  requireUpdatable(stack);
  const deployment = prepareDeployment(ctx, stack.stackName, params, stack);
  const tags = tagsOf(params);
  if (isNoop(stack, deployment, tags)) throw validationError('No updates are to be performed.');
  if (token) stack.tokens[token] = 'UpdateStack';
  for (const cs of Object.values(region(ctx).changeSets)) if (cs.stackId === stack.stackId) cs.executionStatus = 'OBSOLETE';
  stack.changeSetId = undefined;
  ctx.engine.beginUpdate(
    stack,
    {
      templateBody: deployment.templateBody,
      parameters: deployment.values,
      capabilities: deployment.capabilities,
      tags: tags ?? stack.tags,
      description: deployment.template.description,
      roleArn: str(params, 'RoleARN'),
      notificationArns: 'NotificationARNs' in params ? strList(params, 'NotificationARNs') : undefined,
    },
    token,
  );
  return { StackId: stack.stackId };
}

function deleteStack(ctx: CfnContext, params: QueryParams): XmlValue {
  const nameOrId = str(params, 'StackName');
  if (!nameOrId) throw validationError("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  const stack = findStack(ctx, nameOrId);
  // Deleting a stack that does not exist (or no longer does) succeeds, as in CloudFormation.
  if (!stack || stack.deletedAt || stack.status === 'DELETE_IN_PROGRESS') return undefined;
  const token = str(params, 'ClientRequestToken');
  if (seenToken(stack, token, 'DeleteStack')) return undefined;
  if (stack.terminationProtection) throw validationError(`Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`);
  if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'CREATE_IN_PROGRESS' && stack.status !== 'REVIEW_IN_PROGRESS') {
    throw validationError(`Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`);
  }
  const retain = strList(params, 'RetainResources');
  if (retain.length && stack.status !== 'DELETE_FAILED') {
    throw validationError(`Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state.`);
  }
  if (token) stack.tokens[token] = 'DeleteStack';
  ctx.engine.beginDelete(stack, token, retain);
  return undefined;
}

function describeStacks(ctx: CfnContext, params: QueryParams): XmlValue {
  const name = str(params, 'StackName');
  if (name) return { Stacks: [stackShape(requireStack(ctx, name))] };
  const live = region(ctx).stacks.filter((s) => !s.deletedAt);
  const start = decodeToken(str(params, 'NextToken'), 'stacks') ?? 0;
  if (start < 0) throw validationError('Invalid NextToken');
  const page = live.slice(start, start + PAGE);
  return { Stacks: page.map(stackShape), NextToken: start + PAGE < live.length ? encodeToken('stacks', start + PAGE) : undefined };
}

function listStacks(ctx: CfnContext, params: QueryParams): XmlValue {
  const filter = strList(params, 'StackStatusFilter');
  const stacks = [...region(ctx).stacks].reverse().filter((s) => filter.length === 0 || filter.includes(s.status));
  const start = decodeToken(str(params, 'NextToken'), 'list') ?? 0;
  if (start < 0) throw validationError('Invalid NextToken');
  return {
    StackSummaries: stacks.slice(start, start + PAGE).map(stackSummary),
    NextToken: start + PAGE < stacks.length ? encodeToken('list', start + PAGE) : undefined,
  };
}

function describeStackEvents(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  const newest = stack.events.length - 1;
  const from = decodeToken(str(params, 'NextToken'), stack.stackId) ?? newest;
  if (from < 0 && str(params, 'NextToken') !== undefined) throw validationError('Invalid NextToken');
  const members: string[] = [];
  const stackOnly = ctx.faults.quirks.stackEventsOnly;
  for (let i = from; i >= 0 && i > from - PAGE; i--) {
    const event = stack.events[i]!;
    if (!stackOnly || (event.resourceType === 'AWS::CloudFormation::Stack' && event.logicalId === stack.stackName)) members.push(eventShape(stack, event).xml);
  }
  const next = from - PAGE;
  return { StackEvents: new RawXml(members.join('')), NextToken: next >= 0 ? encodeToken(stack.stackId, next) : undefined };
}

function describeStackResources(ctx: CfnContext, params: QueryParams): XmlValue {
  const name = str(params, 'StackName');
  const physicalId = str(params, 'PhysicalResourceId');
  if (!name && !physicalId) throw validationError('Either StackName or PhysicalResourceId must be specified.');
  const stack = name
    ? requireStack(ctx, name)
    : region(ctx).stacks.find((s) => !s.deletedAt && Object.values(s.resources).some((r) => r.physicalId === physicalId));
  if (!stack) throw validationError(`Stack for ${physicalId} does not exist`);
  const logicalId = str(params, 'LogicalResourceId');
  const resources = Object.values(stack.resources).filter((r) => (!logicalId || r.logicalId === logicalId) && (!physicalId || name || r.physicalId === physicalId));
  return { StackResources: resources.map((r) => resourceShape(stack, r, false)) };
}

function describeStackResource(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  const logicalId = str(params, 'LogicalResourceId') ?? '';
  const resource = stack.resources[logicalId];
  if (!resource) throw validationError(`Resource ${logicalId} does not exist for stack ${stack.stackName}`);
  return { StackResourceDetail: { ...(resourceShape(stack, resource, true) as Record<string, XmlValue>), Metadata: '{}' } };
}

function listStackResources(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  const all = Object.values(stack.resources);
  const start = decodeToken(str(params, 'NextToken'), `${stack.stackId}/resources`) ?? 0;
  if (start < 0) throw validationError('Invalid NextToken');
  return {
    StackResourceSummaries: all.slice(start, start + PAGE).map(resourceSummary),
    NextToken: start + PAGE < all.length ? encodeToken(`${stack.stackId}/resources`, start + PAGE) : undefined,
  };
}

function getTemplate(ctx: CfnContext, params: QueryParams): XmlValue {
  const changeSetName = str(params, 'ChangeSetName');
  const body = changeSetName ? changeSetTemplate(ctx, changeSetName, str(params, 'StackName')) : requireStack(ctx, str(params, 'StackName')).templateBody;
  return { TemplateBody: body, StagesAvailable: ['Original', 'Processed'] };
}

function capabilityInfo(body: string) {
  const { needed, types } = neededCapabilities(loadTemplate(body));
  return {
    Capabilities: [...needed],
    CapabilitiesReason: needed.size ? `The following resource(s) require capabilities: [${[...types].join(', ')}]` : undefined,
  };
}

function getTemplateSummary(ctx: CfnContext, params: QueryParams): XmlValue {
  const stackName = str(params, 'StackName');
  const body = stackName && !str(params, 'TemplateBody') && !str(params, 'TemplateURL') ? requireStack(ctx, stackName).templateBody : templateBodyOf(ctx, params);
  const template = loadTemplate(body);
  const byType = new Map<string, string[]>();
  for (const [id, r] of Object.entries(template.resources)) byType.set(r.Type, [...(byType.get(r.Type) ?? []), id]);
  return {
    Parameters: Object.entries(template.parameters).map(([key, p]) => ({
      ParameterKey: key,
      DefaultValue: p.Default,
      ParameterType: p.Type,
      NoEcho: p.NoEcho,
      Description: p.Description,
      ParameterConstraints: { AllowedValues: p.AllowedValues },
    })),
    Description: template.description,
    ...capabilityInfo(body),
    ResourceTypes: [...byType.keys()],
    Version: '2010-09-09',
    Metadata: template.raw.Metadata === undefined ? undefined : JSON.stringify(template.raw.Metadata),
    DeclaredTransforms: [],
    ResourceIdentifierSummaries: [...byType].map(([type, ids]) => ({ ResourceType: type, LogicalResourceIds: ids })),
  };
}

function validateTemplate(ctx: CfnContext, params: QueryParams): XmlValue {
  const body = templateBodyOf(ctx, params);
  const template = loadTemplate(body);
  return {
    Parameters: Object.entries(template.parameters).map(([key, p]) => ({ ParameterKey: key, DefaultValue: p.Default, NoEcho: p.NoEcho, Description: p.Description })),
    Description: template.description,
    ...capabilityInfo(body),
    DeclaredTransforms: [],
  };
}

function listExports(ctx: CfnContext, params: QueryParams): XmlValue {
  const all = Object.entries(region(ctx).exports);
  const start = decodeToken(str(params, 'NextToken'), 'exports') ?? 0;
  if (start < 0) throw validationError('Invalid NextToken');
  return {
    Exports: all.slice(start, start + PAGE).map(([name, e]) => ({ ExportingStackId: e.stackId, Name: name, Value: e.value })),
    NextToken: start + PAGE < all.length ? encodeToken('exports', start + PAGE) : undefined,
  };
}

function listImports(ctx: CfnContext, params: QueryParams): XmlValue {
  const name = str(params, 'ExportName') ?? '';
  const importers = region(ctx)
    .stacks.filter((s) => !s.deletedAt && s.imports.includes(name))
    .map((s) => s.stackName);
  if (!importers.length) throw validationError(`Export '${name}' is not imported by any stack.`);
  return { Imports: importers };
}

function cancelUpdateStack(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  if (stack.status !== 'UPDATE_IN_PROGRESS' || stack.operation?.phase !== 'UPDATE') {
    throw validationError('CancelUpdateStack cannot be called from current stack status');
  }
  ctx.engine.cancelUpdate(stack);
  return undefined;
}

function continueUpdateRollback(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  if (stack.status !== 'UPDATE_ROLLBACK_FAILED' || !stack.operation?.halted) {
    throw validationError(`Stack ${stack.stackId} is in ${stack.status} state and can not continue update rollback.`);
  }
  const token = str(params, 'ClientRequestToken');
  if (seenToken(stack, token, 'ContinueUpdateRollback')) return {};
  const skip = strList(params, 'ResourcesToSkip');
  const failed = Object.entries(stack.operation.tasks).filter(([, t]) => t.state === 'failed').map(([id]) => id);
  const bad = skip.filter((id) => !failed.includes(id));
  if (bad.length) throw validationError(`Resources [${bad.join(', ')}] cannot be skipped: only resources in the UPDATE_FAILED state can be skipped.`);
  if (token) stack.tokens[token] = 'ContinueUpdateRollback';
  ctx.engine.continueRollback(stack, skip, token);
  return {};
}

function updateTerminationProtection(ctx: CfnContext, params: QueryParams): XmlValue {
  const stack = requireStack(ctx, str(params, 'StackName'));
  stack.terminationProtection = bool(params, 'EnableTerminationProtection') ?? false;
  return { StackId: stack.stackId };
}

function describeAccountLimits(): XmlValue {
  return { AccountLimits: [{ Name: 'StackLimit', Value: 2000 }, { Name: 'StackOutputsLimit', Value: 200 }] };
}

export const CFN_ACTIONS: Record<string, Handler> = {
  CreateStack: createStack,
  UpdateStack: updateStack,
  DeleteStack: deleteStack,
  DescribeStacks: describeStacks,
  ListStacks: listStacks,
  DescribeStackEvents: describeStackEvents,
  DescribeStackResources: describeStackResources,
  DescribeStackResource: describeStackResource,
  ListStackResources: listStackResources,
  GetTemplate: getTemplate,
  GetTemplateSummary: getTemplateSummary,
  ValidateTemplate: validateTemplate,
  CreateChangeSet: createChangeSet,
  DescribeChangeSet: describeChangeSet,
  ExecuteChangeSet: executeChangeSet,
  DeleteChangeSet: deleteChangeSet,
  ListChangeSets: listChangeSets,
  ListExports: listExports,
  ListImports: listImports,
  CancelUpdateStack: cancelUpdateStack,
  ContinueUpdateRollback: continueUpdateRollback,
  UpdateTerminationProtection: updateTerminationProtection,
  DescribeAccountLimits: describeAccountLimits,
};


