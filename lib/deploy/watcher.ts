// The stack-event watcher: one DescribeStackEvents poller per (run, stack), shared by every viewer.
// It stores each new event once in the run's log (which wakes the SSE streams) and stops when the
// watched operation reaches a terminal stack status. Display only: the engine never waits on it.
import 'server-only';
import { DescribeStackEventsCommand, type CloudFormationClient, type StackEvent } from '@aws-sdk/client-cloudformation';
import { EndpointUnreachableError, normalizeAwsError, NotFoundError, ThrottledError } from '@/lib/aws/errors';
import { pause } from '@/lib/pause';
import { appendRunEvent, appendRunEvents, storedStackEvents } from '@/lib/store/run-events';
import type { StackId } from '@/templates/stack';
import { isTerminalStackStatus, type StackEventRecord } from './types';

export interface WatchOptions {
  runId: string;
  stackId: StackId;
  stackName: string;
  cloudFormation: CloudFormationClient;
  /** Operation start; older events are ignored. */
  since: Date;
  /** Default 1000. */
  pollMs?: number;
  signal?: AbortSignal;
  onTerminal?: (status: string) => void;
}

export interface WatchHandle {
  /** Settles when the watcher stops; never rejects. */
  done: Promise<void>;
  stop(): void;
}

const STACK_TYPE = 'AWS::CloudFormation::Stack';
const DEFAULT_POLL_MS = 1000;
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

/** Starts watching a stack for a run, or returns the watcher already running for that pair. */
export function watchStack(options: WatchOptions): WatchHandle {
  const watchers = registry();
  const key = JSON.stringify([options.runId, options.stackName]);
  const existing = watchers.get(key);
  if (existing) return existing;

  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
  // Released at once on stop, so a watchStack() right after stop() starts a fresh watcher.
  const release = () => {
    if (watchers.get(key) === handle) watchers.delete(key);
  };
  const handle: WatchHandle = {
    done: watch(options, signal)
      .catch((error: unknown) => {
        if (!signal.aborted) console.error(`The event watcher of stack ${options.stackName} (run ${options.runId}) failed:`, error);
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

async function watch(options: WatchOptions, signal: AbortSignal): Promise<void> {
  const { runId, stackId, stackName, cloudFormation, onTerminal } = options;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const since = options.since.getTime();
  const isTerminalRoot = (event: StackEventRecord) =>
    isRootEvent(event) && isTerminalStackStatus(event.status) && Date.parse(event.timestamp) >= since;

  // After a console restart the run's log already holds what an earlier watcher saw.
  const seen = new Set((await storedStackEvents(runId, stackName)).map((event) => event.eventId));

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
  // so a teardown's last events (and its DELETE_COMPLETE) are not lost.
  let target = stackName;
  let failures = 0;
  let next = Date.now();
  while (!signal.aborted) {
    await pause(next - Date.now(), signal);
    if (signal.aborted) return;
    const started = Date.now();
    let poll: Poll;
    try {
      poll = await fetchNew(target);
      if (poll.stackArn) target = poll.stackArn;
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
        poll.events.map((event) => ({ event: { type: 'stack-event', stackId, event }, dedupeKey: event.eventId })),
      );
      for (const event of poll.events) seen.add(event.eventId);
    }
    // Nothing follows a terminal root event until the next operation, so the operation is over
    // exactly when the stack's newest event is one. A CREATE_COMPLETE followed by an update is
    // not the end; and a restarted watcher recognizes an end it stored before the restart.
    const terminal = poll.newest && isTerminalRoot(poll.newest) ? poll.newest : undefined;
    if (terminal) {
      onTerminal?.(terminal.status);
      return;
    }
  }
}
