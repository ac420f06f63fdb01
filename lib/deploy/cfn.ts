// Thin, typed CloudFormation steps the engine composes: read a stack, wait for a terminal status,
// create and read change sets, find a failure's root cause. Control flow relies on statuses and
// change sets only; events are read here just to name the first failure.
import 'server-only';
import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ListImportsCommand,
  ListStackResourcesCommand,
  type Capability,
  type CloudFormationClient,
  type Parameter,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { awsCall, NotFoundError, RequestRejectedError } from '@/lib/aws/errors';
import { pause } from '@/lib/pause';
import type { StackId } from '@/templates/stack';
import { isTerminalStackStatus, type ResourceChangeSummary, type RootCause } from './types';

export interface StackState {
  arn: string;
  status: string;
  reason?: string;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
  /** Names of the exports the stack's outputs publish. */
  exports: string[];
  description?: string;
}

export async function describeStack(cf: CloudFormationClient, stackName: string): Promise<StackState | undefined> {
  try {
    const result = await awsCall('DescribeStacks', () => cf.send(new DescribeStacksCommand({ StackName: stackName })));
    const stack = result.Stacks?.[0];
    if (!stack) return undefined;
    return {
      arn: stack.StackId ?? '',
      status: stack.StackStatus ?? 'UNKNOWN',
      reason: stack.StackStatusReason,
      outputs: Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
      parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
      exports: (stack.Outputs ?? []).flatMap((o) => (o.ExportName ? [o.ExportName] : [])),
      description: stack.Description,
    };
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export class StackTimeoutError extends Error {
  constructor(stackName: string, minutes: number, lastStatus: string) {
    super(`${stackName} did not finish within ${minutes} minutes (last status ${lastStatus}). It may still be running in AWS.`);
    this.name = 'StackTimeoutError';
  }
}

/** Waits between polls; throws the signal's reason once it aborts (also when it did during a call). */
async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  await pause(ms, signal);
  signal?.throwIfAborted();
}

/**
 * Polls DescribeStacks until the stack reaches a terminal status (or disappears, reported as
 * DELETE_COMPLETE). `onStatus` sees every new status.
 */
export async function waitForStack(
  cf: CloudFormationClient,
  stackName: string,
  options: { pollMs: number; timeoutMs: number; signal?: AbortSignal; onStatus?: (state: StackState) => Promise<void> | void },
): Promise<StackState> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const state = (await describeStack(cf, stackName)) ?? { arn: '', status: 'DELETE_COMPLETE', outputs: {}, parameters: {}, exports: [] };
    if (state.status !== last) await options.onStatus?.(state);
    last = state.status;
    if (isTerminalStackStatus(state.status)) return state;
    if (Date.now() > deadline) throw new StackTimeoutError(stackName, Math.round(options.timeoutMs / 60_000), state.status);
    await sleep(options.pollMs, options.signal);
  }
}

export interface ChangeSetRequest {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  template: { body: string } | { url: string } | { usePrevious: true };
  parameters: Parameter[];
  capabilities: Capability[];
  clientToken: string;
  description: string;
}

export async function createChangeSet(cf: CloudFormationClient, request: ChangeSetRequest): Promise<string> {
  const template =
    'body' in request.template ? { TemplateBody: request.template.body } : 'url' in request.template ? { TemplateURL: request.template.url } : { UsePreviousTemplate: true };
  const result = await awsCall('CreateChangeSet', () =>
    cf.send(
      new CreateChangeSetCommand({
        StackName: request.stackName,
        ChangeSetName: request.changeSetName,
        ChangeSetType: request.type,
        Parameters: request.parameters,
        Capabilities: request.capabilities,
        ClientToken: request.clientToken,
        Description: request.description,
        ...template,
      }),
    ),
  );
  return result.Id ?? request.changeSetName;
}

export type ChangeSetOutcome =
  | { kind: 'ready'; changes: ResourceChangeSummary[] }
  | { kind: 'unchanged' }
  | { kind: 'failed'; reason: string };

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

function summarize(change: Change): ResourceChangeSummary | undefined {
  const rc = change.ResourceChange;
  if (!rc) return undefined;
  return {
    action: (rc.Action ?? 'Modify') as ResourceChangeSummary['action'],
    logicalId: rc.LogicalResourceId ?? '',
    physicalId: rc.PhysicalResourceId,
    resourceType: rc.ResourceType ?? '',
    replacement: rc.Replacement as ResourceChangeSummary['replacement'],
    scope: rc.Scope,
    details: (rc.Details ?? []).map((d) => [d.Target?.Attribute, d.Target?.Name].filter(Boolean).join(': ')).filter((d) => d !== ''),
  };
}

/** Waits for a change set to be ready and reads all its changes (every page). */
export async function waitForChangeSet(cf: CloudFormationClient, changeSetId: string, stackName: string, pollMs: number, signal?: AbortSignal): Promise<ChangeSetOutcome> {
  for (;;) {
    const first = await awsCall('DescribeChangeSet', () => cf.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName })));
    if (first.Status === 'FAILED') {
      const reason = first.StatusReason ?? 'The change set failed.';
      return NO_CHANGES.test(reason) ? { kind: 'unchanged' } : { kind: 'failed', reason };
    }
    if (first.Status === 'CREATE_COMPLETE') {
      const changes = [...(first.Changes ?? [])];
      let token = first.NextToken;
      while (token) {
        const next = token;
        const page = await awsCall('DescribeChangeSet', () => cf.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName, NextToken: next })));
        changes.push(...(page.Changes ?? []));
        token = page.NextToken;
      }
      return { kind: 'ready', changes: changes.map(summarize).filter((c): c is ResourceChangeSummary => c !== undefined) };
    }
    await sleep(pollMs, signal);
  }
}

/**
 * The chronologically first failed resource since `since` — what went wrong first, before the
 * cancellations and rollback failures it caused. Read from events, which survive the rollback.
 */
export async function findRootCause(cf: CloudFormationClient, stackId: StackId, stackName: string, since: Date): Promise<RootCause | undefined> {
  const failures: RootCause[] = [];
  let token: string | undefined;
  outer: do {
    const page = await awsCall('DescribeStackEvents', () => cf.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token })));
    for (const event of page.StackEvents ?? []) {
      if (event.Timestamp && event.Timestamp < since) break outer;
      const isStack = event.ResourceType === 'AWS::CloudFormation::Stack';
      if (!isStack && event.ResourceStatus?.endsWith('_FAILED'))
        failures.push({
          stackId,
          stackName,
          logicalId: event.LogicalResourceId ?? '',
          resourceType: event.ResourceType ?? '',
          status: event.ResourceStatus,
          reason: event.ResourceStatusReason ?? '',
          timestamp: (event.Timestamp ?? new Date()).toISOString(),
        });
    }
    token = page.NextToken;
  } while (token);
  failures.reverse(); // oldest first, so equal timestamps keep their real order through the stable sort
  const real = failures.filter((f) => !/cancelled/i.test(f.reason));
  const pool = real.length > 0 ? real : failures;
  return pool.sort((a, b) => a.timestamp.localeCompare(b.timestamp))[0];
}

/** The stacks importing an export (none when CloudFormation says it is not imported). */
export async function importersOf(cf: CloudFormationClient, exportName: string): Promise<string[]> {
  try {
    const result = await awsCall('ListImports', () => cf.send(new ListImportsCommand({ ExportName: exportName })));
    return result.Imports ?? [];
  } catch (error) {
    if (error instanceof RequestRejectedError && /not imported by any stack/i.test(error.message)) return [];
    throw error;
  }
}

/** What deleting the stack removes: every resource it has. */
/** The physical id of one resource of a stack, or undefined when the stack has no such resource (yet). */
export async function physicalIdOf(cf: CloudFormationClient, stackName: string, logicalId: string): Promise<string | undefined> {
  try {
    const result = await awsCall('DescribeStackResource', () => cf.send(new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: logicalId })));
    return result.StackResourceDetail?.PhysicalResourceId || undefined;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export async function removals(cf: CloudFormationClient, stackName: string): Promise<ResourceChangeSummary[]> {
  const resources = await awsCall('ListStackResources', () => cf.send(new ListStackResourcesCommand({ StackName: stackName })));
  return (resources.StackResourceSummaries ?? []).map((r) => ({
    action: 'Remove',
    logicalId: r.LogicalResourceId ?? '',
    physicalId: r.PhysicalResourceId,
    resourceType: r.ResourceType ?? '',
  }));
}
