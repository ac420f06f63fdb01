// Runs a graph of jobs as fast as it allows: each job starts once every job it depends on has
// succeeded, at most `maxParallel` at a time, in the graph's order when several are ready. After a
// failure nothing new starts and the jobs already running are followed to their end. Pure control
// flow: the deploy engine gives it one job per stack.
import type { StackId } from '@/templates/stack';
import { depsOf, type StackGraph } from '@/lib/params/graph';

export interface ScheduleOptions {
  /** At least 1. */
  maxParallel: number;
  /** Jobs finished before (a run picked up after a restart): they count as succeeded. */
  isDone?: (id: StackId) => boolean;
  /** Asked before each start: true starts nothing more (the run is being stopped). */
  halted?: () => boolean;
  run: (id: StackId) => Promise<void>;
}

export interface ScheduleOutcome {
  /** In the order they failed. */
  failures: { id: StackId; error: unknown }[];
  /** Jobs that never started: after a failure, or behind a job that failed. */
  notStarted: StackId[];
}

export async function runGraph(graph: StackGraph, options: ScheduleOptions): Promise<ScheduleOutcome> {
  const done = new Set(graph.ids.filter((id) => options.isDone?.(id)));
  const waiting = graph.ids.filter((id) => !done.has(id));
  const started = new Set<StackId>();
  const running = new Map<StackId, Promise<void>>();
  const failures: ScheduleOutcome['failures'] = [];
  const limit = Math.max(1, Math.floor(options.maxParallel));

  const start = (id: StackId) => {
    started.add(id);
    const job = Promise.resolve()
      .then(() => options.run(id))
      .then(
        () => void done.add(id),
        (error: unknown) => void failures.push({ id, error }),
      )
      .finally(() => running.delete(id));
    running.set(id, job);
  };

  for (;;) {
    if (failures.length === 0 && !options.halted?.())
      for (const id of waiting) {
        if (running.size >= limit) break;
        if (!started.has(id) && depsOf(graph, id).every((d) => done.has(d))) start(id);
      }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { failures, notStarted: waiting.filter((id) => !started.has(id)) };
}
