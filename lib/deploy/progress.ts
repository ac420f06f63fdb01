// Folds a run's event stream into what the run page shows: each stack's status, its resources
// (status, reason, duration) and timeline, counts, and an estimate of the time left. Pure and
// isomorphic: the browser runs it on live events, tests run it on recorded ones.
import type { StackId } from '@/templates/stack';
import { remainingSeconds } from './durations';
import type { ResourceChangeSummary, RunStackStatus, RunStackView, RunStatus, StackEventRecord, StoredRunEvent } from './types';

export interface ResourceProgress {
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface StackProgress {
  stackId: StackId;
  stackName: string;
  status: RunStackStatus;
  stackStatus?: string;
  reason?: string;
  resources: ResourceProgress[];
  events: StackEventRecord[];
  /** Resources the preview expected this stack to touch. */
  expected: ResourceChangeSummary[];
}

export interface RunProgress {
  status: RunStatus;
  message?: string;
  stacks: StackProgress[];
  notes: { level: 'info' | 'warn' | 'error'; message: string }[];
  lastSeq: number;
}

export function initialProgress(status: RunStatus, stacks: readonly RunStackView[]): RunProgress {
  return {
    status,
    stacks: stacks.map((s) => ({
      stackId: s.stackId,
      stackName: s.stackName,
      status: s.status,
      stackStatus: s.stackStatus,
      reason: s.statusReason,
      resources: [],
      events: [],
      expected: s.changes ?? [],
    })),
    notes: [],
    lastSeq: 0,
  };
}

const isDone = (status: string) => /_(COMPLETE|FAILED)$/.test(status) || status === 'DELETE_SKIPPED';

function applyStackEvent(stack: StackProgress, event: StackEventRecord): StackProgress {
  if (stack.events.some((e) => e.eventId === event.eventId)) return stack;
  const events = [...stack.events, event];
  if (event.resourceType === 'AWS::CloudFormation::Stack' && event.logicalId === stack.stackName) return { ...stack, events };
  const resources = [...stack.resources];
  const index = resources.findIndex((r) => r.logicalId === event.logicalId);
  const previous = index >= 0 ? resources[index]! : undefined;
  const startsAgain = event.status.endsWith('_IN_PROGRESS') && (!previous || isDone(previous.status));
  const next: ResourceProgress = {
    logicalId: event.logicalId,
    type: event.resourceType,
    status: event.status,
    // The reason belongs to the event: "Resource creation Initiated" is not kept on a finished resource.
    reason: event.reason || undefined,
    startedAt: startsAgain ? event.timestamp : (previous?.startedAt ?? event.timestamp),
    finishedAt: isDone(event.status) ? event.timestamp : undefined,
  };
  if (index >= 0) resources[index] = next;
  else resources.push(next);
  return { ...stack, events, resources };
}

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
          stacks: next.stacks.map((s) =>
            s.stackId === event.stackId ? { ...s, status: event.status, stackStatus: event.stackStatus ?? s.stackStatus, reason: event.reason ?? s.reason } : s,
          ),
        };
        break;
      case 'stack-event':
        next = { ...next, stacks: next.stacks.map((s) => (s.stackId === event.stackId ? applyStackEvent(s, event.event) : s)) };
        break;
    }
  }
  return next;
}

export function counts(progress: RunProgress) {
  const resources = progress.stacks.flatMap((s) => s.resources);
  return {
    stacksDone: progress.stacks.filter((s) => ['complete', 'skipped', 'unchanged'].includes(s.status)).length,
    stacks: progress.stacks.length,
    complete: resources.filter((r) => r.status.endsWith('_COMPLETE') && !r.status.includes('ROLLBACK')).length,
    inProgress: resources.filter((r) => r.status.endsWith('_IN_PROGRESS')).length,
    failed: resources.filter((r) => r.status.endsWith('_FAILED')).length,
  };
}

/** Seconds left from typical per-type durations, scaled by the endpoint's time scale (1 on AWS). */
export function etaSeconds(progress: RunProgress, now: Date, timeScale = 1): number | undefined {
  if (progress.status !== 'running') return undefined;
  let total = 0;
  for (const stack of progress.stacks) {
    if (['complete', 'skipped', 'unchanged', 'failed'].includes(stack.status)) continue;
    const seen = new Map(stack.resources.map((r) => [r.logicalId, r]));
    const pending = stack.expected
      .filter((c) => c.action !== 'Remove' || stack.status === 'in-progress')
      .filter((c) => !isDone(seen.get(c.logicalId)?.status ?? ''))
      .map((c) => {
        const started = seen.get(c.logicalId)?.startedAt;
        return { type: c.resourceType, elapsedSeconds: started ? (now.getTime() - Date.parse(started)) / 1000 / timeScale : 0 };
      });
    total += remainingSeconds(pending);
  }
  return Math.round(total * timeScale);
}
