// Shapes shared by the deploy engine, the event pipeline, the store and the pages. Plain data:
// what the browser receives is built from these, never from SDK objects.
import type { StackId } from '@/templates/stack';

export type RunKind = 'deploy' | 'update-images' | 'grafana-reset' | 'otlp-endpoint' | 'update-sizes' | 'update-settings' | 'upgrade-release' | 'add-addon' | 'change-addon' | 'remove-addon' | 'teardown' | 'recover';
export type RunStatus = 'preparing' | 'awaiting-approval' | 'running' | 'succeeded' | 'failed' | 'cancelled';
/** `recreate`: deleted, then created again later in the same run (see lib/deploy/recreate.ts). */
export type StackAction = 'create' | 'update' | 'delete' | 'recreate' | 'none';
/** `waiting`: part of the stack's work is done and the rest waits for other stacks (a recreated stack between its delete and its create). */
export type RunStackStatus = 'pending' | 'previewed' | 'unchanged' | 'in-progress' | 'waiting' | 'complete' | 'failed' | 'skipped' | 'not-started';

export const RUN_STACK_STATUSES = ['pending', 'previewed', 'unchanged', 'in-progress', 'waiting', 'complete', 'failed', 'skipped', 'not-started'] as const satisfies readonly RunStackStatus[];

/** Where a stack of a run ends: nothing more happens to it in this run. */
export const isSettledRunStack = (status: RunStackStatus) => ['complete', 'failed', 'skipped', 'unchanged', 'not-started'].includes(status);

/** One CloudFormation stack event, as the browser sees it. */
export interface StackEventRecord {
  eventId: string;
  stackName: string;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  /** ISO 8601. */
  timestamp: string;
}

/** Everything a run's stream carries; `seq` (the SSE id) is assigned by the store. */
export type RunEvent =
  /** `child`: the event is a nested stack's, the path of logical ids from the run's stack (Alb, or Query/Inner). */
  | { type: 'stack-event'; stackId: StackId; child?: string; event: StackEventRecord }
  | { type: 'stack-status'; stackId: StackId; stackName: string; status: RunStackStatus; stackStatus?: string; reason?: string; /** ISO 8601, when the console saw it. */ at?: string }
  | { type: 'run-status'; status: RunStatus; message?: string }
  | { type: 'note'; level: 'info' | 'warn' | 'error'; message: string };

export interface StoredRunEvent {
  seq: number;
  event: RunEvent;
}

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** Stack statuses after which nothing more happens without a new operation (all *_COMPLETE / *_FAILED). */
export const isTerminalStackStatus = (status: string) => /_(COMPLETE|FAILED)$/.test(status);

export const isFailedStackStatus = (status: string) =>
  status.endsWith('_FAILED') || status === 'ROLLBACK_COMPLETE' || status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'IMPORT_ROLLBACK_COMPLETE';

/** One resource change of a change set (or of a template, for stacks that do not exist yet). */
export interface ResourceChangeSummary {
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic';
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  replacement?: 'True' | 'False' | 'Conditional';
  /** What changes: Properties, Metadata, Tags… and the property names. */
  scope?: string[];
  details?: string[];
}

/** The resource changes of one nested stack, shown under its parent. */
export interface ChildChanges {
  /** Logical ids from the run's stack, joined by '/': Alb, or Query/Inner for a grandchild. */
  path: string;
  /** The child's title, when its parent's line declares it. */
  title?: string;
  changes: ResourceChangeSummary[];
}

/** A parameter the plan fills with another stack's output. */
export interface WiredInput {
  parameter: string;
  /** The stack whose output it is. */
  stackId: StackId;
  stackName: string;
  output: string;
  /** The output's value, once that stack exists. */
  value?: string;
}

/**
 * What went wrong first in a failed run: the chronologically first failed resource of the first
 * stack that failed, or, when CloudFormation never got to a resource (a refused change set, an
 * endpoint that reports only stack-level events), that stack and its reason.
 */
export interface RootCause {
  stackId: StackId;
  stackName: string;
  logicalId?: string;
  resourceType?: string;
  status: string;
  reason: string;
  timestamp: string;
  /** What to check or do for this kind of failure, when the console knows. */
  guidance?: string;
  /** The failure is inside a nested stack of `stackName` (the deepest one that failed). */
  child?: { path: string; title?: string; stackName: string };
}

export interface RunStackView {
  position: number;
  stackId: StackId;
  stackName: string;
  action: StackAction;
  status: RunStackStatus;
  stackStatus?: string;
  statusReason?: string;
  changeSetId?: string;
  /** Set when the preview comes from a change set; `fromTemplate` when the stack cannot have one yet. */
  changes?: ResourceChangeSummary[];
  changesFromTemplate?: boolean;
  /** The changes of its nested stacks, each under its path. */
  childChanges?: ChildChanges[];
  /** The parameters filled with other stacks' outputs, and where from. */
  inputs?: WiredInput[];
  outputs?: Record<string, string>;
  arn?: string;
  startedAt?: string;
  finishedAt?: string;
}
