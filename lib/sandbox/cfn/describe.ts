// How stacks, events and resources look on the wire (DescribeStacks, DescribeStackEvents…).
// Event XML is rendered once per event: DescribeStackEvents is polled constantly.
import { RawXml, xmlElement, type XmlValue } from '../protocols/xml';
import type { ResourceState, StackEvent, StackRecord } from './model';
import { displayValue } from './parameters';
import { loadTemplate } from './template';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export function stackParameters(stack: StackRecord): XmlValue[] {
  const template = loadTemplate(stack.templateBody);
  return Object.keys(template.parameters)
    .filter((key) => key in stack.parameters)
    .map((key) => {
      const decl = template.parameters[key];
      const value = stack.parameters[key]!;
      const resolved = decl?.Type.startsWith('AWS::SSM::Parameter::Value<') ? value : undefined;
      return { ParameterKey: key, ParameterValue: displayValue(decl, value), ResolvedValue: resolved };
    });
}

export function stackShape(stack: StackRecord): XmlValue {
  const terminal = !stack.status.endsWith('_IN_PROGRESS');
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: stack.changeSetId,
    Description: stack.description,
    Parameters: stackParameters(stack),
    CreationTime: iso(stack.createdAt),
    DeletionTime: iso(stack.deletedAt),
    LastUpdatedTime: iso(stack.updatedAt),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.reason,
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationArns,
    Capabilities: stack.capabilities,
    Outputs:
      terminal || stack.outputs.length
        ? stack.outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName }))
        : undefined,
    RoleARN: stack.roleArn,
    Tags: stack.tags,
    EnableTerminationProtection: stack.terminationProtection,
    ParentId: stack.parentId,
    RootId: stack.rootId,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

export function stackSummary(stack: StackRecord): XmlValue {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    TemplateDescription: stack.description,
    CreationTime: iso(stack.createdAt),
    LastUpdatedTime: iso(stack.updatedAt),
    DeletionTime: iso(stack.deletedAt),
    StackStatus: stack.status,
    StackStatusReason: stack.reason,
    ParentId: stack.parentId,
    RootId: stack.rootId,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

const eventXml = new WeakMap<StackEvent, RawXml>();

export function eventShape(stack: StackRecord, event: StackEvent): RawXml {
  let cached = eventXml.get(event);
  if (!cached) {
    cached = new RawXml(
      xmlElement('member', {
        StackId: stack.stackId,
        EventId: event.eventId,
        StackName: stack.stackName,
        LogicalResourceId: event.logicalId,
        PhysicalResourceId: event.physicalId,
        ResourceType: event.resourceType,
        Timestamp: new Date(event.timestamp),
        ResourceStatus: event.status,
        ResourceStatusReason: event.reason,
        ClientRequestToken: event.clientRequestToken,
      }),
    );
    eventXml.set(event, cached);
  }
  return cached;
}

export function resourceShape(stack: StackRecord, r: ResourceState, detail: boolean): XmlValue {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    [detail ? 'LastUpdatedTimestamp' : 'Timestamp']: new Date(r.updatedAt),
    ResourceStatus: r.status,
    ResourceStatusReason: r.reason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

export function resourceSummary(r: ResourceState): XmlValue {
  return {
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    LastUpdatedTimestamp: new Date(r.updatedAt),
    ResourceStatus: r.status,
    ResourceStatusReason: r.reason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** Opaque page tokens: the position to continue from, tied to what is being paged. */
export const encodeToken = (scope: string, position: number) => Buffer.from(`${scope}|${position}`).toString('base64url');
export function decodeToken(token: string | undefined, scope: string): number | undefined {
  if (token === undefined) return undefined;
  const [tokenScope, position] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  const n = Number(position);
  return tokenScope === scope && Number.isInteger(n) && n >= 0 ? n : -1;
}
