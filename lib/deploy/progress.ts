// Folds a run's event stream into what the run page shows and draws: each stack's status, when it
// started and ended, its resources with their spans (first *_IN_PROGRESS to the terminal event, per
// attempt), counts, the share of the run's resources complete, and the time left along the graph.
// Pure and isomorphic: the browser runs it on live events and replays, tests on recorded ones. It
// never assumes per-resource events exist: some endpoints report only the stacks' own. A stack's
// nested stacks are folded under it from their own events (and its events about them): their
// state, resources and expected changes count in the run's totals, and nothing is said of a child
// no event has spoken of.
import { criticalPath, type StackGraph } from '@/lib/params/graph';
import type { StackId } from '@/templates/stack';
import { remainingSeconds } from './durations';
import type { ResourceChangeSummary, RunStackStatus, RunStackView, RunStatus, StackAction, StackEventRecord, StoredRunEvent } from './types';

/** One attempt at a resource (or a stack): from its first event to its terminal one, if any yet. */
export interface Span {
  start: string;
  end?: string;
  /** The status the span ended in (or is in). */
  status: string;
  reason?: string;
}

export interface ResourceProgress {
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  spans: Span[];
}

/** A nested stack of a run's stack, from its own events and its parent's events about it. */
export interface ChildProgress {
  /** Logical ids from the run's stack, joined by '/'. */
  path: string;
  title: string;
  /** Its own stack name, once one of its events named it. */
  stackName?: string;
  /** Its status as CloudFormation last reported it; empty while nothing has. */
  status: string;
  reason?: string;
  resources: ResourceProgress[];
  events: StackEventRecord[];
  /** Its lifecycle: its own stack-level events, else its parent's events about its resource. */
  spans: Span[];
  /** Resources the preview expected it to touch. */
  expected: ResourceChangeSummary[];
}

export interface StackProgress {
  stackId: StackId;
  stackName: string;
  /** What the run does to it; `recreate`: deleted, then created again. */
  action: StackAction;
  status: RunStackStatus;
  stackStatus?: string;
  reason?: string;
  /** The stacks of this run it waits for (for a teardown: the stacks that depend on it). */
  deps: StackId[];
  /** When the console started and ended the stack's part (ISO 8601). */
  startedAt?: string;
  finishedAt?: string;
  resources: ResourceProgress[];
  events: StackEventRecord[];
  /** The stack's own lifecycle from its stack-level events. */
  spans: Span[];
  /** Resources the preview expected this stack to touch. */
  expected: ResourceChangeSummary[];
  /** Its nested stacks: the ones its line declares, and any other an event or the preview names. */
  children: ChildProgress[];
}

export interface RunProgress {
  status: RunStatus;
  message?: string;
  stacks: StackProgress[];
  notes: { level: 'info' | 'warn' | 'error'; message: string }[];
  lastSeq: number;
  /** The latest time any event carries: "now" for a replay. */
  lastEventAt?: string;
}

/** What the page knows of the run's stacks besides their rows: the graph's edges, the nested stacks each declares. */
export interface RunShape {
  deps?: StackGraph['deps'];
  children?: Readonly<Partial<Record<StackId, readonly { readonly logicalId: string; readonly title: string }[]>>>;
}

const newChild = (path: string, title = path, expected: ResourceChangeSummary[] = []): ChildProgress => ({ path, title, status: '', resources: [], events: [], spans: [], expected });

function initialChildren(stack: RunStackView, declared: RunShape['children']): ChildProgress[] {
  const children = (declared?.[stack.stackId] ?? []).map((c) => newChild(c.logicalId, c.title));
  for (const change of stack.childChanges ?? []) {
    const known = children.find((c) => c.path === change.path);
    if (known) known.expected = change.changes;
    else children.push(newChild(change.path, change.title, change.changes));
  }
  return children;
}

export function initialProgress(status: RunStatus, stacks: readonly RunStackView[], graph?: RunShape): RunProgress {
  return {
    status,
    stacks: stacks.map((s) => ({
      stackId: s.stackId,
      stackName: s.stackName,
      action: s.action,
      status: s.status,
      stackStatus: s.stackStatus,
      reason: s.statusReason,
      deps: [...(graph?.deps?.[s.stackId] ?? [])],
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      resources: [],
      events: [],
      spans: [],
      expected: s.changes ?? [],
      children: initialChildren(s, graph?.children),
    })),
    notes: [],
    lastSeq: 0,
  };
}

const NESTED_STACK = 'AWS::CloudFormation::Stack';
const isDone = (status: string) => /_(COMPLETE|FAILED)$/.test(status) || status === 'DELETE_SKIPPED';
const isStackEvent = (stack: StackProgress, event: StackEventRecord) => event.resourceType === 'AWS::CloudFormation::Stack' && event.logicalId === stack.stackName;
const SETTLED: readonly RunStackStatus[] = ['complete', 'failed', 'skipped', 'unchanged', 'not-started'];

/** Extends the last open span, or opens a new one; a terminal status closes it. */
function addToSpans(spans: readonly Span[], event: StackEventRecord): Span[] {
  const last = spans.at(-1);
  const open = last && last.end === undefined;
  const reason = event.reason || undefined;
  const end = isDone(event.status) ? event.timestamp : undefined;
  if (open) return [...spans.slice(0, -1), { start: last.start, end, status: event.status, reason: reason ?? (end ? undefined : last.reason) }];
  return [...spans, { start: event.timestamp, end, status: event.status, reason }];
}

function withResourceEvent(list: readonly ResourceProgress[], event: StackEventRecord): ResourceProgress[] {
  const resources = [...list];
  const index = resources.findIndex((r) => r.logicalId === event.logicalId);
  const previous = index >= 0 ? resources[index]! : undefined;
  const spans = addToSpans(previous?.spans ?? [], event);
  const current = spans.at(-1)!;
  const next: ResourceProgress = {
    logicalId: event.logicalId,
    type: event.resourceType,
    status: event.status,
    // The reason belongs to the event: "Resource creation Initiated" is not kept on a finished resource.
    reason: event.reason || undefined,
    startedAt: current.start,
    finishedAt: current.end,
    spans,
  };
  if (index >= 0) resources[index] = next;
  else resources.push(next);
  return resources;
}

const isNestedResource = (stack: { stackName: string }, event: StackEventRecord) => event.resourceType === NESTED_STACK && event.logicalId !== stack.stackName;

/** The child's state: its own stack-level events when it has some, else its parent's events about it. */
function childState(child: ChildProgress, fromParent: readonly Span[]): Pick<ChildProgress, 'status' | 'reason'> {
  const last = child.spans.at(-1) ?? fromParent.at(-1);
  return last ? { status: last.status, reason: last.reason } : { status: '' };
}

function applyChildEvent(stack: StackProgress, path: string, event: StackEventRecord): StackProgress {
  const index = stack.children.findIndex((c) => c.path === path);
  const child = index >= 0 ? stack.children[index]! : newChild(path);
  if (child.events.some((e) => e.eventId === event.eventId)) return stack;
  const own = event.resourceType === NESTED_STACK && event.logicalId === event.stackName;
  const next: ChildProgress = {
    ...child,
    stackName: event.stackName,
    events: [...child.events, event],
    ...(own ? { spans: addToSpans(child.spans, event) } : { resources: withResourceEvent(child.resources, event) }),
  };
  const settled = { ...next, ...childState(next, stack.resources.find((r) => r.logicalId === path)?.spans ?? []) };
  const children = [...stack.children];
  if (index >= 0) children[index] = settled;
  else children.push(settled);
  return { ...stack, children };
}

function applyStackEvent(stack: StackProgress, event: StackEventRecord, child?: string): StackProgress {
  if (child) return applyChildEvent(stack, child, event);
  if (stack.events.some((e) => e.eventId === event.eventId)) return stack;
  const events = [...stack.events, event];
  if (isStackEvent(stack, event)) return { ...stack, events, spans: addToSpans(stack.spans, event) };
  const resources = withResourceEvent(stack.resources, event);
  if (!isNestedResource(stack, event)) return { ...stack, events, resources };
  // The parent's event about a nested stack: its state, until the child's own events say more.
  const spans = resources.find((r) => r.logicalId === event.logicalId)!.spans;
  const known = stack.children.some((c) => c.path === event.logicalId);
  const children = known
    ? stack.children.map((c) => (c.path === event.logicalId ? { ...c, ...childState(c, spans) } : c))
    : [...stack.children, { ...newChild(event.logicalId), ...childState(newChild(event.logicalId), spans) }];
  return { ...stack, events, resources, children };
}

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a);

export function applyEvents(progress: RunProgress, incoming: readonly StoredRunEvent[]): RunProgress {
  let next = progress;
  for (const { seq, event } of incoming) {
    if (seq <= next.lastSeq) continue;
    next = { ...next, lastSeq: seq };
    switch (event.type) {
      case 'run-status':
        next = { ...next, status: event.status, message: event.message ?? next.message };
        break;
      case 'note':
        next = { ...next, notes: [...next.notes, { level: event.level, message: event.message }] };
        break;
      case 'stack-status':
        next = {
          ...next,
          lastEventAt: later(next.lastEventAt, event.at),
          stacks: next.stacks.map((s) => {
            if (s.stackId !== event.stackId) return s;
            const settled = SETTLED.includes(event.status);
            return {
              ...s,
              status: event.status,
              stackStatus: event.stackStatus ?? s.stackStatus,
              reason: event.reason ?? s.reason,
              startedAt: event.status === 'in-progress' && !s.startedAt ? event.at : s.startedAt,
              finishedAt: settled ? (event.at ?? s.finishedAt) : event.status === 'in-progress' ? undefined : s.finishedAt,
            };
          }),
        };
        break;
      case 'stack-event':
        next = {
          ...next,
          lastEventAt: later(next.lastEventAt, event.event.timestamp),
          stacks: next.stacks.map((s) => (s.stackId === event.stackId ? applyStackEvent(s, event.event, event.child) : s)),
        };
        break;
    }
  }
  return next;
}

const succeeded = (status: string) => status.endsWith('_COMPLETE') && !status.includes('ROLLBACK');

/**
 * Whether an expected change is done: a removal once the resource was deleted, anything else once
 * it was created or updated. A recreated stack expects both for the same logical id.
 */
function changeDone(change: ResourceChangeSummary, resource: ResourceProgress | undefined): boolean {
  const spans = resource?.spans ?? [];
  if (change.action === 'Remove') return spans.some((s) => s.status === 'DELETE_COMPLETE' || s.status === 'DELETE_SKIPPED');
  return spans.some((s) => succeeded(s.status) && !s.status.startsWith('DELETE_'));
}

/**
 * Of the resources a stack is expected to touch, its nested stacks' included: how many, and how
 * many are done. A finished stack has done them all.
 */
function resourceShare(stack: StackProgress): { total: number; done: number } {
  const parts = [{ expected: stack.expected, resources: stack.resources }, ...stack.children];
  const total = parts.reduce((a, p) => a + p.expected.length, 0);
  if (stack.status === 'complete' || stack.status === 'skipped') return { total, done: total };
  const done = parts.reduce((a, part) => {
    const seen = new Map(part.resources.map((r) => [r.logicalId, r]));
    return a + part.expected.filter((c) => changeDone(c, seen.get(c.logicalId))).length;
  }, 0);
  return { total, done };
}

/** How a stack's nested stacks stand, by what CloudFormation reported of each (those it said nothing of count in no state). */
export function childCounts(stack: Pick<StackProgress, 'children'>) {
  const by = (test: (status: string) => boolean) => stack.children.filter((c) => c.status !== '' && test(c.status)).length;
  return {
    total: stack.children.length,
    inProgress: by((s) => s.endsWith('_IN_PROGRESS')),
    failed: by((s) => s.endsWith('_FAILED') || /ROLLBACK_COMPLETE$/.test(s)),
    deleted: by((s) => s === 'DELETE_COMPLETE'),
    complete: by((s) => s.endsWith('_COMPLETE') && !/ROLLBACK_COMPLETE$/.test(s) && s !== 'DELETE_COMPLETE'),
  };
}

export function counts(progress: RunProgress) {
  const resources = progress.stacks.flatMap((s) => [...s.resources, ...s.children.flatMap((c) => c.resources)]);
  const shares = progress.stacks.map(resourceShare);
  return {
    stacks: progress.stacks.length,
    stacksDone: progress.stacks.filter((s) => ['complete', 'skipped', 'unchanged'].includes(s.status)).length,
    stacksRunning: progress.stacks.filter((s) => s.status === 'in-progress').length,
    stacksWaiting: progress.stacks.filter((s) => s.status === 'waiting').length,
    stacksFailed: progress.stacks.filter((s) => s.status === 'failed').length,
    /** Resources the run's templates and change sets touch, and how many of those are done. */
    resourcesTotal: shares.reduce((a, s) => a + s.total, 0),
    resourcesDone: shares.reduce((a, s) => a + s.done, 0),
    inProgress: resources.filter((r) => r.status.endsWith('_IN_PROGRESS')).length,
    /** Resources that failed at some point in the run, rolled back since or not. */
    failed: resources.filter((r) => r.spans.some((s) => s.status.endsWith('_FAILED'))).length,
  };
}

/** Seconds a stack still needs, from typical per-type durations less what has elapsed (in AWS seconds). */
function stackRemaining(stack: StackProgress, now: Date, timeScale: number): number {
  if (SETTLED.includes(stack.status)) return 0;
  const seen = new Map(stack.resources.map((r) => [r.logicalId, r]));
  const recreated = stack.action === 'recreate';
  // A recreated stack's resource is deleted, then created: its create has not begun while its last span is the delete.
  const startOf = (c: ResourceChangeSummary) => {
    const last = seen.get(c.logicalId)?.spans.at(-1);
    if (recreated && c.action !== 'Remove') return last?.status.startsWith('CREATE_') ? last.start : undefined;
    return seen.get(c.logicalId)?.startedAt ?? (stack.resources.length === 0 ? stack.startedAt : undefined);
  };
  const pending = stack.expected
    .filter((c) => c.action !== 'Remove' || stack.status === 'in-progress' || recreated)
    .filter((c) => !(recreated ? changeDone(c, seen.get(c.logicalId)) : isDone(seen.get(c.logicalId)?.status ?? '')))
    // a nested stack takes as long as its own resources: those are counted below
    .filter((c) => !(c.resourceType === NESTED_STACK && stack.children.some((child) => child.path === c.logicalId && child.expected.length > 0)))
    .map((c) => {
      const started = startOf(c);
      return { type: c.resourceType, elapsedSeconds: started ? (now.getTime() - Date.parse(started)) / 1000 / timeScale : 0 };
    });
  const elapsed = (iso: string | undefined) => (iso ? (now.getTime() - Date.parse(iso)) / 1000 / timeScale : 0);
  const inChildren = stack.children.flatMap((child) => {
    const mine = new Map(child.resources.map((r) => [r.logicalId, r]));
    return child.expected
      .filter((c) => c.action !== 'Remove' || stack.status === 'in-progress')
      .filter((c) => !isDone(mine.get(c.logicalId)?.status ?? ''))
      .map((c) => ({ type: c.resourceType, elapsedSeconds: elapsed(mine.get(c.logicalId)?.startedAt) }));
  });
  return remainingSeconds([...pending, ...inChildren]);
}

/**
 * Seconds left: the longest chain of the stacks still to finish, each taking what it typically
 * still needs, scaled by the endpoint's time scale (1 on AWS). Stacks run side by side where the
 * graph allows, so this is the critical path of what remains, not the sum.
 */
export function etaSeconds(progress: RunProgress, now: Date, timeScale = 1): number | undefined {
  if (progress.status !== 'running') return undefined;
  const left = new Map(progress.stacks.map((s) => [s.stackId, stackRemaining(s, now, timeScale)]));
  const graph = { ids: progress.stacks.map((s) => s.stackId), deps: Object.fromEntries(progress.stacks.map((s) => [s.stackId, s.deps])) };
  return Math.round(criticalPath(graph, (id) => left.get(id) ?? 0).total * timeScale);
}
