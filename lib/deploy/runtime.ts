// Process-wide state of the deploy engine, kept on globalThis (Next bundles modules several
// times per process): the background task of each run this process drives, with the signal that
// stops it (its lease was lost, or the process stops), and the NoEcho values a run was given,
// which live in memory only and are dropped when the run ends.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { atMost } from '@/lib/pause';
import { waitOutOutages } from '@/lib/store/outages';
import { appendRunEvent, transitionRun } from '@/lib/store/run-events';
import { runColumns, updateRunStack, type RunChanges } from '@/lib/store/runs';
import type { StackId } from '@/templates/stack';
import { publish } from './bus';
import { RunStopped } from './run-env';
import type { RunEvent, RunStackStatus, RunStatus, RunStackView } from './types';

export type RunSecrets = Partial<Record<StackId, Record<string, string>>>;

interface Task {
  readonly done: Promise<void>;
  readonly controller: AbortController;
}

interface Runtime {
  tasks: Map<string, Task>;
  /** A run's values, and when they were kept (performance.now()) for their expiry while awaiting approval. */
  secrets: Map<string, { secrets: RunSecrets; keptAt: number }>;
}

const HELD = Symbol.for('lakerunner.console.deploy-runtime');
type Holder = typeof globalThis & { [HELD]?: Runtime };

export function runtime(): Runtime {
  const holder = globalThis as Holder;
  holder[HELD] ??= { tasks: new Map(), secrets: new Map() };
  return holder[HELD];
}

/**
 * Runs `work` in the background for a run, once per process; errors are the work's own to record.
 * Store calls inside it wait out an outage until `signal` aborts (see stopTask).
 */
export function startTask(runId: string, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const { tasks } = runtime();
  const running = tasks.get(runId);
  if (running) return running.done;
  const controller = new AbortController();
  const done = waitOutOutages(controller.signal, () => work(controller.signal))
    .catch((error: unknown) => {
      if (!controller.signal.aborted) console.error(`Run ${runId} stopped on an unexpected error:`, error);
    })
    .finally(() => {
      if (tasks.get(runId)?.controller === controller) tasks.delete(runId);
    });
  tasks.set(runId, { done, controller });
  return done;
}

/** Stops driving a run in this process, leaving it as it is for whoever drives it next. */
export function stopTask(runId: string, reason: string): Promise<void> | undefined {
  const task = runtime().tasks.get(runId);
  task?.controller.abort(new Error(reason));
  return task?.done;
}

export const isTaskRunning = (runId: string) => runtime().tasks.has(runId);

/**
 * Resolves once this process's task for the run has ended, or after `ms` if it has not. A preview
 * shows its changes (awaiting-approval) a moment before its task lets go of the run, and on a busy
 * machine that moment grows: an approval or a cancel clicked in it waits instead of being refused.
 */
export async function untilTaskEnds(runId: string, ms: number): Promise<void> {
  const task = runtime().tasks.get(runId);
  if (task) await atMost(task.done, ms);
}
export const runningTasks = () => [...runtime().tasks.keys()];

// Every event the engine emits gets its dedupe key before the store is asked: this process's
// epoch for the run and the event's place in what it emitted. A commit retried after the store
// came back (withDb waits out an outage and runs the write again) carries the same key, and the
// run's unique (run_id, dedupe_key) stores it once. Another process has another epoch.
const EPOCHS = Symbol.for('lakerunner.console.event-epochs');
type EpochHolder = typeof globalThis & { [EPOCHS]?: Map<string, { epoch: string; next: number }> };

/** The dedupe key of the next event this process emits for the run. */
export function nextEventKey(runId: string): string {
  const holder = globalThis as EpochHolder;
  const epochs = (holder[EPOCHS] ??= new Map());
  let counter = epochs.get(runId);
  if (!counter) epochs.set(runId, (counter = { epoch: randomBytes(6).toString('hex'), next: 0 }));
  counter.next += 1;
  return `engine:${counter.epoch}:${counter.next}`;
}

/** Forgets a finished run's counter. */
export function forgetEventKeys(runId: string): void {
  (globalThis as EpochHolder)[EPOCHS]?.delete(runId);
}

export async function emit(runId: string, event: RunEvent): Promise<void> {
  await appendRunEvent(runId, event, nextEventKey(runId));
  publish(runId);
}

/** The run was no longer in the status a change expected: someone else moved it (cancelled, approved, finished). */
export class RunStatusChanged extends RunStopped {
  constructor(readonly runId: string, readonly expected: readonly RunStatus[], readonly wanted: RunStatus) {
    super(`Run ${runId} is no longer ${expected.join(' or ')}, so it was not made ${wanted}.`);
    this.name = 'RunStatusChanged';
  }
}

/**
 * Moves the run from one of `from` to `status` (compare-and-set), with the run-status event that
 * says so in the same transaction: a stream ends once it sees the run's status final, after
 * sending every event stored by then, so the final status's event is among them. Throws
 * RunStatusChanged when the run was in no status of `from`.
 */
export async function setRunStatus(runId: string, from: readonly RunStatus[], status: RunStatus, message?: string, extra: Omit<RunChanges, 'status'> = {}): Promise<void> {
  const event: RunEvent = { type: 'run-status', status, ...(message ? { message } : {}) };
  if (!(await transitionRun(runId, { from, to: status, columns: runColumns(extra), event: { event, dedupeKey: nextEventKey(runId) } }))) throw new RunStatusChanged(runId, from, status);
}

export async function setStackStatus(
  runId: string,
  stack: Pick<RunStackView, 'stackId' | 'stackName'>,
  status: RunStackStatus,
  extra: Parameters<typeof updateRunStack>[2] = {},
): Promise<void> {
  await updateRunStack(runId, stack.stackId, { ...extra, status });
  await emit(runId, {
    type: 'stack-status',
    stackId: stack.stackId,
    stackName: stack.stackName,
    status,
    ...(extra.stackStatus ? { stackStatus: extra.stackStatus } : {}),
    ...(extra.statusReason ? { reason: extra.statusReason } : {}),
    at: new Date().toISOString(),
  });
}

export const note = (runId: string, level: 'info' | 'warn' | 'error', message: string) => emit(runId, { type: 'note', level, message });
