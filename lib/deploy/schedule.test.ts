import { describe, expect, it } from 'vitest';
import { reversed } from '@/lib/params/graph';
import { planGraph } from '@/lib/params/plan';
import { STACKS_2025 as STACKS } from '@/templates/line-2025';
import { toMeta, type StackId } from '@/templates/stack';
import { runGraph } from './schedule';

const GRAPH = planGraph({ network: 'new', include: { grafana: true, otel: true, demo: true } }, STACKS.map(toMeta));

/** A fake clock: each job takes its duration in ticks; the log records starts and ends by tick. */
function simulate(durations: Partial<Record<StackId, number>>, fail: StackId[] = []) {
  let tick = 0;
  const log: { id: StackId; start: number; end: number }[] = [];
  const timers: { at: number; wake: () => void }[] = [];
  const advance = async () => {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (timers.length === 0) return;
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift()!;
      tick = next.at;
      next.wake();
    }
  };
  const run = (id: StackId) =>
    new Promise<void>((resolve, reject) => {
      const start = tick;
      timers.push({
        at: tick + (durations[id] ?? 1),
        wake: () => {
          log.push({ id, start, end: tick });
          if (fail.includes(id)) reject(new Error(`${id} failed`));
          else resolve();
        },
      });
    });
  return { run, log, advance };
}

describe('running a stack graph', () => {
  it('starts each stack once its dependencies completed: the collector alongside migration and services', async () => {
    const sim = simulate({ vpc: 2, common: 10, migration: 3, services: 5, grafana: 2, otel: 6, demo: 1 });
    const outcome = runGraph(GRAPH, { maxParallel: 3, run: sim.run });
    await sim.advance();
    expect(await outcome).toEqual({ failures: [], notStarted: [] });
    const at = Object.fromEntries(sim.log.map((l) => [l.id, l]));
    expect(at.otel).toEqual({ id: 'otel', start: 12, end: 18 });
    expect(at.migration).toEqual({ id: 'migration', start: 12, end: 15 });
    expect(at.services).toEqual({ id: 'services', start: 15, end: 20 });
    expect(at.grafana!.start).toBe(20);
    expect(at.demo!.start).toBe(20); // after services (20) and the collector (18)
    // the whole graph took its critical path, vpc → common → migration → services → grafana
    expect(Math.max(...sim.log.map((l) => l.end))).toBe(22);
  });

  it('with one at a time, runs in the registry order, as before', async () => {
    const sim = simulate({});
    const outcome = runGraph(GRAPH, { maxParallel: 1, run: sim.run });
    await sim.advance();
    await outcome;
    expect(sim.log.map((l) => l.id)).toEqual(['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo']);
    expect(sim.log.map((l) => l.start)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('holds to the limit of stacks at once', async () => {
    const wide = { ids: ['vpc', 'common', 'migration', 'otel'] as StackId[], deps: {} };
    const sim = simulate({ vpc: 1, common: 1, migration: 1, otel: 1 });
    const outcome = runGraph(wide, { maxParallel: 3, run: sim.run });
    await sim.advance();
    await outcome;
    expect(sim.log.filter((l) => l.start === 0).map((l) => l.id)).toEqual(['vpc', 'common', 'migration']);
    expect(sim.log.find((l) => l.id === 'otel')?.start).toBe(1);
  });

  it('after a failure starts nothing new, follows the running stacks to their end, and reports what never started', async () => {
    // the collector fails at tick 18 while services (15–20) is running
    const sim = simulate({ vpc: 2, common: 10, migration: 3, services: 5, grafana: 2, otel: 6, demo: 1 }, ['otel']);
    const outcome = runGraph(GRAPH, { maxParallel: 3, run: sim.run });
    await sim.advance();
    const result = await outcome;
    expect(result.failures.map((f) => f.id)).toEqual(['otel']);
    expect((result.failures[0]!.error as Error).message).toBe('otel failed');
    expect(sim.log.find((l) => l.id === 'services')).toEqual({ id: 'services', start: 15, end: 20 });
    expect(result.notStarted).toEqual(['grafana', 'demo']);
  });

  it('skips the stacks done before a restart and starts the rest where the graph stopped', async () => {
    const sim = simulate({});
    const done = new Set<StackId>(['vpc', 'common', 'migration']);
    const outcome = runGraph(GRAPH, { maxParallel: 3, isDone: (id) => done.has(id), run: sim.run });
    await sim.advance();
    await outcome;
    expect(sim.log.filter((l) => l.start === 0).map((l) => l.id)).toEqual(['services', 'otel']);
  });

  it('stops starting when halted, without failing the running ones', async () => {
    const sim = simulate({});
    let halt = false;
    const outcome = runGraph(GRAPH, {
      maxParallel: 3,
      halted: () => halt,
      run: (id) => ((halt = id === 'common'), sim.run(id)),
    });
    await sim.advance();
    expect(await outcome).toEqual({ failures: [], notStarted: ['migration', 'services', 'grafana', 'otel', 'demo'] });
  });

  it('walks a teardown backwards: grafana and demo first, the VPC only after common', async () => {
    const sim = simulate({ demo: 1, grafana: 4, otel: 2, services: 3, migration: 1, common: 2, vpc: 1 });
    const outcome = runGraph(reversed(GRAPH), { maxParallel: 3, run: sim.run });
    await sim.advance();
    await outcome;
    const at = Object.fromEntries(sim.log.map((l) => [l.id, l]));
    expect([at.demo!.start, at.grafana!.start]).toEqual([0, 0]);
    expect(at.otel!.start).toBe(1);
    expect(at.services!.start).toBe(4);
    expect(at.common!.start).toBe(Math.max(at.migration!.end, at.otel!.end));
    expect(at.vpc!.start).toBe(at.common!.end);
  });
});
