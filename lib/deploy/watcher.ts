// The stack-event watcher: one DescribeStackEvents poller per (run, stack), shared by every viewer.
// It stores each new event once in the run's log (which wakes the SSE streams) and stops when the
// watched operation reaches a terminal stack status. Display only: the engine never waits on it.
// A stack's nested stacks report their resources only in their own events: the watcher finds
// them (their physical ids in the parent's events, and the parent's resources when the stack
// declares children) and follows each with a poller of its own, its events stored with the
// child's path; they end with their own terminal event or, once the parent has ended, when their
// events stay quiet (an endpoint may report nothing for them).
import 'server-only';
import { DescribeStackEventsCommand, ListStackResourcesCommand, type CloudFormationClient, type StackEvent } from '@aws-sdk/client-cloudformation';
import { EndpointUnreachableError, normalizeAwsError, NotFoundError, ThrottledError } from '@/lib/aws/errors';
import { NESTED_STACK_TYPE, stackNameOfArn } from '@/lib/cfn/nested';
import { pause } from '@/lib/pause';
import { appendRunEvent, appendRunEvents, storedStackEvents } from '@/lib/store/run-events';
import type { StackId } from '@/templates/stack';
import { isTerminalStackStatus, type StackEventRecord } from './types';

export interface WatchOptions {
  runId: string;
  stackId: StackId;
  stackName: string;
  /**
   * The stack's ARN when known: followed by it from the first poll. A stack deleted before that
   * poll is no longer found by its name, and its delete's events would be lost.
   */
  stackArn?: string;
  cloudFormation: CloudFormationClient;
  /** Operation start; older events are ignored. */
  since: Date;
  /** Default 1000. */
  pollMs?: number;
  signal?: AbortSignal;
  onTerminal?: (status: string) => void;
  /**
   * The nested stacks the stack's template declares (StackMeta.children): the watcher also looks
   * for them among the stack's resources, for endpoints whose events do not name them.
   */
  children?: readonly { readonly logicalId: string }[];
}

/** A nested stack followed for its parent's watcher. */
interface Nested {
  arn: string;
  /** Logical ids from the watched stack, joined by '/'. */
  path: string;
  /** Whether the parent's operation has ended (then the child's events soon stop too). */
  parentEnded: () => boolean;
}

export interface WatchHandle {
  /** Settles when the watcher stops; never rejects. */
  done: Promise<void>;
  stop(): void;
}

const STACK_TYPE = NESTED_STACK_TYPE;
const DEFAULT_POLL_MS = 1000;
/** Once its parent has ended, a child still followed stops after this many polls without a new event. */
const QUIET_POLLS = 3;
/**
 * A child that has ended its part while its parent still runs may have another (a rollback deletes
 * it, an update's cleanup follows): it is polled once every this many intervals until the parent ends.
 */
const IDLE_EVERY_POLLS = 5;
/** A stack that declares children has its resources listed every this many polls, and once at its end. */
const LIST_EVERY_POLLS = 5;
/** Nesting deeper than this is not followed. */
const MAX_DEPTH = 5;
/** Back-off after throttling doubles per failure up to 30 poll intervals, and never beyond a minute. */
const MAX_BACKOFF_INTERVALS = 30;
const MAX_BACKOFF_MS = 60_000;

// Next bundles this module several times per process; one registry must serve all copies so a
// stack is never polled twice.
const HELD = Symbol.for('lakerunner.console.stack-watchers');
type Holder = typeof globalThis & { [HELD]?: Map<string, WatchHandle> };

function registry(): Map<string, WatchHandle> {
  const holder = globalThis as Holder;
  holder[HELD] ??= new Map();
  return holder[HELD];
}

/** Starts watching a stack (and its nested stacks) for a run, or returns the watcher already running for that pair. */
export function watchStack(options: WatchOptions): WatchHandle {
  return startWatcher(options);
}

function startWatcher(options: WatchOptions, nested?: Nested): WatchHandle {
  const watchers = registry();
  const key = JSON.stringify([options.runId, nested?.arn ?? options.stackName]);
  const existing = watchers.get(key);
  if (existing) return existing;

  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
  // Released at once on stop, so a watchStack() right after stop() starts a fresh watcher.
  const release = () => {
    if (watchers.get(key) === handle) watchers.delete(key);
  };
  const handle: WatchHandle = {
    done: watch(options, signal, nested)
      .catch((error: unknown) => {
        if (!signal.aborted) console.error(`The event watcher of stack ${nested?.arn ?? options.stackName} (run ${options.runId}) failed:`, error);
      })
      .finally(() => {
        signal.removeEventListener('abort', release);
        release();
      }),
    stop: () => stopper.abort(),
  };
  watchers.set(key, handle);
  signal.addEventListener('abort', release, { once: true });
  return handle;
}

/** How many watchers are running in this process. */
export function activeWatchers(): number {
  return registry().size;
}

const isRootEvent = (event: StackEventRecord) => event.resourceType === STACK_TYPE && event.logicalId === event.stackName;
/** A nested stack's ARN, when the event is its parent's event about it. */
const childArnOf = (event: StackEventRecord) => (event.resourceType === STACK_TYPE && !isRootEvent(event) && stackNameOfArn(event.physicalId) ? event.physicalId : undefined);

function toRecord(stackName: string, event: StackEvent): StackEventRecord | undefined {
  if (!event.EventId || !event.Timestamp) return undefined;
  return {
    eventId: event.EventId,
    stackName,
    logicalId: event.LogicalResourceId ?? '',
    physicalId: event.PhysicalResourceId || undefined,
    resourceType: event.ResourceType ?? '',
    status: event.ResourceStatus ?? '',
    reason: event.ResourceStatusReason || undefined,
    timestamp: event.Timestamp.toISOString(),
  };
}

/** Exponential back-off with equal jitter: half the window fixed, half random. */
export function backoffMs(pollMs: number, failures: number): number {
  const cap = Math.min(pollMs * MAX_BACKOFF_INTERVALS, MAX_BACKOFF_MS);
  const window = Math.min(cap, pollMs * 2 ** failures);
  return window / 2 + Math.random() * (window / 2);
}

interface Poll {
  /** Events newer than the last seen one (and than `since`), oldest first. */
  events: StackEventRecord[];
  /** The stack's newest event, seen before or not. */
  newest?: StackEventRecord;
  stackArn?: string;
}

async function watch(options: WatchOptions, signal: AbortSignal, nested?: Nested): Promise<void> {
  const { runId, stackId, cloudFormation, onTerminal } = options;
  const stackName = nested ? (stackNameOfArn(nested.arn) ?? nested.arn) : options.stackName;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const since = options.since.getTime();
  const isTerminalRoot = (event: StackEventRecord) =>
    isRootEvent(event) && isTerminalStackStatus(event.status) && Date.parse(event.timestamp) >= since;

  // After a console restart the run's log already holds what an earlier watcher saw.
  const before = await storedStackEvents(runId, stackName);
  const seen = new Set(before.map((event) => event.eventId));

  // The nested stacks found so far, each followed by its own watcher.
  const children = new Map<string, WatchHandle>();
  let ended = false;
  const depth = nested ? nested.path.split('/').length : 0;
  const follow = (logicalId: string, arn: string) => {
    if (children.has(arn) || depth >= MAX_DEPTH || signal.aborted) return;
    const path = nested ? `${nested.path}/${logicalId}` : logicalId;
    children.set(arn, startWatcher({ ...options, signal, onTerminal: undefined, children: undefined }, { arn, path, parentEnded: () => ended || signal.aborted }));
  };
  const followFromEvents = (events: readonly StackEventRecord[]) => {
    for (const event of events) {
      const arn = childArnOf(event);
      if (arn) follow(event.logicalId, arn);
    }
  };
  // Events only name a child once CloudFormation starts it, and some endpoints never do: the declared children are looked for among the resources too.
  // Best effort: the events go on being stored whatever the listing answers.
  const listChildren = async (target: string) => {
    if (!options.children?.length) return;
    let token: string | undefined;
    try {
      do {
        const page = await cloudFormation.send(new ListStackResourcesCommand({ StackName: target, NextToken: token }), { abortSignal: signal });
        for (const resource of page.StackResourceSummaries ?? [])
          if (resource.ResourceType === STACK_TYPE && resource.LogicalResourceId && stackNameOfArn(resource.PhysicalResourceId)) follow(resource.LogicalResourceId, resource.PhysicalResourceId!);
        token = page.NextToken;
      } while (token && !signal.aborted);
    } catch {
      // Throttled, not served by the endpoint, or the stack is gone: the next listing (or the events) will tell.
    }
  };
  const childrenDone = async () => {
    ended = true;
    await Promise.all([...children.values()].map((child) => child.done));
  };
  followFromEvents(before.filter((event) => Date.parse(event.timestamp) >= since));

  const fetchNew = async (target: string): Promise<Poll> => {
    const newestFirst: StackEventRecord[] = [];
    let newest: StackEventRecord | undefined;
    let stackArn: string | undefined;
    let token: string | undefined;
    pages: do {
      const page = await cloudFormation.send(new DescribeStackEventsCommand({ StackName: target, NextToken: token }), { abortSignal: signal });
      token = page.NextToken;
      for (const raw of page.StackEvents ?? []) {
        stackArn ??= raw.StackId;
        const event = toRecord(stackName, raw);
        if (!event) continue;
        newest ??= event;
        if (seen.has(event.eventId) || Date.parse(event.timestamp) < since) break pages;
        newestFirst.push(event);
      }
    } while (token && !signal.aborted);
    return { events: newestFirst.reverse(), newest, stackArn };
  };

  // By name until the first answer, then by ARN: a deleted stack is still described by its ARN,
  // so a teardown's last events (and its DELETE_COMPLETE) are not lost. A child, and a stack whose
  // ARN the caller knows, is followed by its ARN from the start.
  let target = nested?.arn ?? options.stackArn ?? stackName;
  let failures = 0;
  let polls = 0;
  let quiet = 0;
  let idle = 0;
  let next = Date.now();
  try {
    while (!signal.aborted) {
      await pause(next - Date.now(), signal);
      if (signal.aborted) return;
      if (idle > 0 && !nested?.parentEnded() && idle++ % IDLE_EVERY_POLLS !== 0) {
        next = Date.now() + pollMs;
        continue;
      }
      const started = Date.now();
      let poll: Poll;
      try {
        poll = await fetchNew(target);
        if (poll.stackArn) target = poll.stackArn;
        polls += 1;
        if (polls % LIST_EVERY_POLLS === 1) await listChildren(target);
      } catch (error) {
        if (signal.aborted) return;
        const failure = normalizeAwsError(error, 'DescribeStackEvents');
        if (failure instanceof NotFoundError) return;
        if (failure instanceof ThrottledError || failure instanceof EndpointUnreachableError) {
          failures += 1;
          next = Date.now() + backoffMs(pollMs, failures);
          continue;
        }
        await appendRunEvent(runId, { type: 'note', level: 'warn', message: `The events of stack ${stackName} are no longer shown: ${failure.message}` });
        return;
      }
      if (signal.aborted) return;
      failures = 0;
      next = started + pollMs;

      if (poll.events.length > 0) {
        await appendRunEvents(
          runId,
          poll.events.map((event) => ({ event: { type: 'stack-event', stackId, ...(nested ? { child: nested.path } : {}), event }, dedupeKey: event.eventId })),
        );
        for (const event of poll.events) seen.add(event.eventId);
        followFromEvents(poll.events);
      }
      // Nothing follows a terminal root event until the next operation, so the operation is over
      // exactly when the stack's newest event is one. A CREATE_COMPLETE followed by an update is
      // not the end; and a restarted watcher recognizes an end it stored before the restart.
      const terminal = poll.newest && isTerminalRoot(poll.newest) ? poll.newest : undefined;
      if (terminal && !nested) {
        await listChildren(target);
        onTerminal?.(terminal.status);
        return;
      }
      // A child's end is final once its parent's is.
      if (terminal && nested?.parentEnded()) return;
      idle = terminal ? Math.max(idle, 1) : 0;
      // A child whose parent has ended has ended too, whether or not the endpoint says so.
      quiet = nested?.parentEnded() && poll.events.length === 0 ? quiet + 1 : 0;
      if (quiet >= QUIET_POLLS) return;
    }
  } finally {
    await childrenDone();
  }
}
