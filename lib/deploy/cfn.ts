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
import { NESTED_STACK_TYPE, stackNameOfArn } from '@/lib/cfn/nested';
import { isTerminalStackStatus, type ChildChanges, type ResourceChangeSummary, type RootCause } from './types';

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
  /** For a stack with nested stacks: a nested change set per child, so the preview shows their changes. */
  includeNestedStacks?: boolean;
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
        ...(request.includeNestedStacks ? { IncludeNestedStacks: true } : {}),
        ...template,
      }),
    ),
  );
  return result.Id ?? request.changeSetName;
}

export type ChangeSetOutcome =
  | { kind: 'ready'; changes: ResourceChangeSummary[]; /** Nested stacks' changes, from their nested change sets. */ children: ChildChanges[] }
  | { kind: 'unchanged' }
  | { kind: 'failed'; reason: string };

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;
/** Nested change sets deeper than this are not read (CloudFormation allows nesting far deeper than any template here uses). */
const MAX_NESTING = 5;

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

const summaries = (changes: readonly Change[]) => changes.map(summarize).filter((c): c is ResourceChangeSummary => c !== undefined);

type ChangeSetRead = { status: 'pending' } | { status: 'failed'; reason: string } | { status: 'ready'; changes: Change[] };

/** One look at a change set: still being made, failed, or ready with all its changes (every page). */
async function readChangeSet(cf: CloudFormationClient, changeSetId: string, stackName: string | undefined): Promise<ChangeSetRead> {
  const first = await awsCall('DescribeChangeSet', () => cf.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName })));
  if (first.Status === 'FAILED') return { status: 'failed', reason: first.StatusReason ?? 'The change set failed.' };
  if (first.Status !== 'CREATE_COMPLETE') return { status: 'pending' };
  const changes = [...(first.Changes ?? [])];
  let token = first.NextToken;
  while (token) {
    const next = token;
    const page = await awsCall('DescribeChangeSet', () => cf.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, StackName: stackName, NextToken: next })));
    changes.push(...(page.Changes ?? []));
    token = page.NextToken;
  }
  return { status: 'ready', changes };
}

/**
 * The changes of the nested change sets a root change set made (IncludeNestedStacks): each nested
 * stack's change that names a ChangeSetId, read when ready, and its own nested ones. A nested
 * change set that failed or that an endpoint does not serve leaves that child out: the preview
 * shows what CloudFormation said, nothing more.
 */
async function nestedChanges(cf: CloudFormationClient, changes: readonly Change[], prefix: string, pollMs: number, signal: AbortSignal | undefined, depth = 1): Promise<ChildChanges[]> {
  const out: ChildChanges[] = [];
  for (const change of changes) {
    const rc = change.ResourceChange;
    if (rc?.ResourceType !== NESTED_STACK_TYPE || !rc.ChangeSetId || depth > MAX_NESTING) continue;
    const path = `${prefix}${rc.LogicalResourceId ?? ''}`;
    let read: ChangeSetRead;
    try {
      while ((read = await readChangeSet(cf, rc.ChangeSetId, undefined)).status === 'pending') await sleep(pollMs, signal);
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof RequestRejectedError) continue;
      throw error;
    }
    if (read.status !== 'ready') continue;
    out.push({ path, changes: summaries(read.changes) }, ...(await nestedChanges(cf, read.changes, `${path}/`, pollMs, signal, depth + 1)));
  }
  return out;
}

/** Waits for a change set to be ready and reads all its changes (every page), and its nested change sets'. */
export async function waitForChangeSet(cf: CloudFormationClient, changeSetId: string, stackName: string, pollMs: number, signal?: AbortSignal): Promise<ChangeSetOutcome> {
  for (;;) {
    const read = await readChangeSet(cf, changeSetId, stackName);
    if (read.status === 'failed') return NO_CHANGES.test(read.reason) ? { kind: 'unchanged' } : { kind: 'failed', reason: read.reason };
    if (read.status === 'ready') return { kind: 'ready', changes: summaries(read.changes), children: await nestedChanges(cf, read.changes, '', pollMs, signal) };
    await sleep(pollMs, signal);
  }
}

/** A failed resource event, and the nested stack it names when it is one (its physical id is the child's ARN). */
interface Failure extends RootCause {
  childArn?: string;
}

/**
 * The chronologically first failed resource since `since` — what went wrong first, before the
 * cancellations and rollback failures it caused. Read from events, which survive the rollback.
 * When that resource is a nested stack, the cause is inside it: the same search in the child's
 * own events (CloudFormation reports them only there), down to the deepest child that failed; a
 * child whose events say nothing leaves its parent's resource (and its "Embedded stack …" reason).
 */
export async function findRootCause(
  cf: CloudFormationClient,
  stackId: StackId,
  stackName: string,
  since: Date,
  /** Inside a nested stack: its ARN and its path of logical ids from `stackName`. */
  nested?: { arn: string; path: string },
): Promise<RootCause | undefined> {
  const failures: Failure[] = [];
  const target = nested?.arn ?? stackName;
  let token: string | undefined;
  outer: do {
    const page = await awsCall('DescribeStackEvents', () => cf.send(new DescribeStackEventsCommand({ StackName: target, NextToken: token })));
    for (const event of page.StackEvents ?? []) {
      if (event.Timestamp && event.Timestamp < since) break outer;
      const isStack = event.ResourceType === NESTED_STACK_TYPE;
      const isRoot = isStack && (event.PhysicalResourceId === event.StackId || event.LogicalResourceId === event.StackName);
      const childArn = isStack && !isRoot && stackNameOfArn(event.PhysicalResourceId) ? event.PhysicalResourceId : undefined;
      if (isRoot || (isStack && !childArn) || !event.ResourceStatus?.endsWith('_FAILED')) continue;
      failures.push({
        stackId,
        stackName,
        logicalId: event.LogicalResourceId ?? '',
        resourceType: event.ResourceType ?? '',
        status: event.ResourceStatus,
        reason: event.ResourceStatusReason ?? '',
        timestamp: (event.Timestamp ?? new Date()).toISOString(),
        ...(childArn ? { childArn } : {}),
      });
    }
    token = page.NextToken;
  } while (token);
  failures.reverse(); // oldest first, so equal timestamps keep their real order through the stable sort
  const real = failures.filter((f) => !/cancelled/i.test(f.reason));
  const pool = real.length > 0 ? real : failures;
  const first = pool.sort((a, b) => a.timestamp.localeCompare(b.timestamp))[0];
  if (!first) return undefined;
  const { childArn, ...cause } = first;
  const here = nested ? { ...cause, child: { path: nested.path, stackName: stackNameOfArn(nested.arn) ?? nested.arn } } : cause;
  const path = nested ? `${nested.path}/${first.logicalId}` : first.logicalId!;
  if (!childArn || path.split('/').length > MAX_NESTING) return here;
  const inner = await findRootCause(cf, stackId, stackName, since, { arn: childArn, path }).catch(() => undefined);
  return inner ?? { ...here, child: { path, stackName: stackNameOfArn(childArn)! } };
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

/** What deleting the stack removes: every resource it has. */
export async function removals(cf: CloudFormationClient, stackName: string): Promise<ResourceChangeSummary[]> {
  const resources = await awsCall('ListStackResources', () => cf.send(new ListStackResourcesCommand({ StackName: stackName })));
  return (resources.StackResourceSummaries ?? []).map((r) => ({
    action: 'Remove',
    logicalId: r.LogicalResourceId ?? '',
    physicalId: r.PhysicalResourceId,
    resourceType: r.ResourceType ?? '',
  }));
}

/** What deleting the stack removes in its nested stacks (found by their physical ids among its removals), each under its path. */
export async function nestedRemovals(cf: CloudFormationClient, removed: readonly ResourceChangeSummary[], prefix = ''): Promise<ChildChanges[]> {
  const out: ChildChanges[] = [];
  for (const change of removed) {
    if (change.resourceType !== NESTED_STACK_TYPE || !stackNameOfArn(change.physicalId) || prefix.split('/').length > MAX_NESTING) continue;
    const path = `${prefix}${change.logicalId}`;
    const inner = await removals(cf, change.physicalId!).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (inner) out.push({ path, changes: inner }, ...(await nestedRemovals(cf, inner, `${path}/`)));
  }
  return out;
}
