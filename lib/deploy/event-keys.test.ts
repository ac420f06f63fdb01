// A commit whose answer is lost (the store restarted right after committing) is run again by
// withDb once the store answers: the engine's events carry dedupe keys computed before the write,
// so the retried commit stores nothing twice, and a retried status change still counts as done.
import { afterEach, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/store/db';
import { waitOutOutages } from '@/lib/store/outages';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun } from '@/lib/store/runs';
import { column } from '@/lib/store/testing/query';
import { insertRun } from '@/lib/store/testing/runs';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import type { StoreDb } from '@/lib/store/db';
import { emit, note, setRunStatus } from './runtime';

const HELD = Symbol.for('lakerunner.console.store');
type Holder = typeof globalThis & { [HELD]?: { ready: Promise<StoreDb> } };

/** The next `times` transactions commit, then report a lost connection (the answer never came). */
async function loseCommitAnswers(times: number): Promise<() => void> {
  const db = await getDb();
  const holder = globalThis as Holder;
  const real = holder[HELD]!.ready;
  let left = times;
  const lossy = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return () => {
        const builder = target.transaction();
        return {
          execute: async <T,>(fn: (trx: StoreDb) => Promise<T>) => {
            const result = await builder.execute(fn);
            if (left <= 0) return result;
            left -= 1;
            throw new Error('Connection terminated unexpectedly');
          },
        };
      };
    },
  });
  holder[HELD]!.ready = Promise.resolve(lossy);
  return () => void (holder[HELD]!.ready = real);
}

describe.each(BACKENDS)('engine events retried after a lost commit (%s)', (backend) => {
  setupTempStore(backend);
  let restore = () => {};
  afterEach(() => restore());

  it('are stored once, and a status change retried that way still counts as done', { timeout: 20_000 }, async () => {
    await insertRun('r1', 'running');
    restore = await loseCommitAnswers(3);
    const driving = new AbortController();
    await waitOutOutages(driving.signal, async () => {
      await note('r1', 'info', 'Following x-vpc again after the console restarted.');
      await emit('r1', { type: 'stack-status', stackId: 'vpc', stackName: 'x-vpc', status: 'in-progress' });
      await setRunStatus('r1', ['running'], 'succeeded', 'Done.');
    });
    restore();
    expect((await runEventsSince('r1', 0)).map((e) => e.event.type)).toEqual(['note', 'stack-status', 'run-status']);
    expect((await getRun('r1'))?.status).toBe('succeeded');
    // every one has its own key
    const keys = await column<string>("SELECT dedupe_key FROM run_events WHERE run_id = 'r1'");
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((key) => /^engine:[0-9a-f]{12}:\d+$/.test(key))).toBe(true);
  });

  it('the same event emitted twice is stored twice: keys tell retries apart from repeats', async () => {
    await insertRun('r1', 'running');
    await note('r1', 'info', 'Waiting for x-vpc.');
    await note('r1', 'info', 'Waiting for x-vpc.');
    expect(await runEventsSince('r1', 0)).toHaveLength(2);
  });
});
