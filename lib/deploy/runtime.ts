// Process-wide state of the deploy engine, kept on globalThis (Next bundles modules several
// times per process): the background task of each active run and the NoEcho values a run was
// given, which live in memory only and are dropped when the run ends.
import 'server-only';
import { appendRunEvent } from '@/lib/store/run-events';
import { updateRun, updateRunStack } from '@/lib/store/runs';
import type { StackId } from '@/templates/stack';
import { publish } from './bus';
import type { RunEvent, RunStackStatus, RunStatus, RunStackView } from './types';

export type RunSecrets = Partial<Record<StackId, Record<string, string>>>;

interface Runtime {
  tasks: Map<string, Promise<void>>;
  secrets: Map<string, RunSecrets>;
}

const HELD = Symbol.for('lakerunner.console.deploy-runtime');
type Holder = typeof globalThis & { [HELD]?: Runtime };

export function runtime(): Runtime {
  const holder = globalThis as Holder;
  holder[HELD] ??= { tasks: new Map(), secrets: new Map() };
  return holder[HELD];
}

/** Runs `work` in the background for a run, once; errors are the work's own to record. */
export function startTask(runId: string, work: () => Promise<void>): Promise<void> {
  const { tasks } = runtime();
  const running = tasks.get(runId);
  if (running) return running;
  const task = work()
    .catch((error: unknown) => console.error(`Run ${runId} stopped on an unexpected error:`, error))
    .finally(() => tasks.delete(runId));
  tasks.set(runId, task);
  return task;
}

export const isTaskRunning = (runId: string) => runtime().tasks.has(runId);

export function emit(runId: string, event: RunEvent): void {
  appendRunEvent(runId, event);
  publish(runId);
}

export function setRunStatus(runId: string, status: RunStatus, message?: string, extra: Parameters<typeof updateRun>[1] = {}): void {
  updateRun(runId, { ...extra, status });
  emit(runId, { type: 'run-status', status, ...(message ? { message } : {}) });
}

export function setStackStatus(
  runId: string,
  stack: Pick<RunStackView, 'stackId' | 'stackName'>,
  status: RunStackStatus,
  extra: Parameters<typeof updateRunStack>[2] = {},
): void {
  updateRunStack(runId, stack.stackId, { ...extra, status });
  emit(runId, {
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
