// One driver per run, in-process: the deadline that stops a replica whose renewals hang, the
// fence that refuses the writes of a replica that lost its lease, and the check before any change.
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/store/db';
import { acquireLease, leaseOf } from '@/lib/store/leases';
import { isLeaseLost } from '@/lib/store/fence';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun } from '@/lib/store/runs';
import { value, rows } from '@/lib/store/testing/query';
import { insertRun } from '@/lib/store/testing/runs';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { assertDriving, deadlineMs, drive, holdsLease, renewHeldLeases, replicaId } from './replica';
import { NotDriving } from './run-env';
import { isTaskRunning, note, setRunStatus } from './runtime';
import { shortLeases } from './testing/short-leases';

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/**
 * Work that drives until it is stopped and meanwhile runs what the test hands it, inside the
 * task (so with the task's fence), reporting how it ended.
 */
function puppet() {
  const ended: { signal?: AbortSignal; reason?: unknown } = {};
  const queue: { fn: () => Promise<unknown>; done: (result: unknown) => void }[] = [];
  let wake = () => {};
  const work = async (signal: AbortSignal) => {
    ended.signal = signal;
    signal.addEventListener('abort', () => wake(), { once: true });
    while (!signal.aborted) {
      const next = queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      next.done(await next.fn().catch((error: unknown) => error));
    }
    ended.reason = signal.reason;
  };
  /** What fn returned or threw, run inside the task. */
  const inside = (fn: () => Promise<unknown>) =>
    new Promise<unknown>((done) => {
      queue.push({ fn, done });
      wake();
    });
  return { ended, work, inside };
}

describe.each(BACKENDS)('one driver per run (%s)', (backend) => {
  setupTempStore(backend);
  shortLeases();

  it('stops driving when its deadline passes, even while a renewal hangs', async () => {
    await insertRun('r1');
    const { ended, work } = puppet();
    expect(await drive('r1', work)).toBe(true);
    await until(() => ended.signal !== undefined);
    // Given renewals that never answer (the store is stuck behind a query that does not end)
    const stuck = backend === 'sqlite' ? await stuckSqlite() : await stuckLeaseRow('r1');
    const started = performance.now();
    const hanging = renewHeldLeases();
    // then the task is stopped at the deadline, counted from the last renewal that succeeded
    await until(() => ended.reason !== undefined);
    expect(performance.now() - started).toBeLessThan(deadlineMs() + 1500);
    expect(String(ended.reason)).toMatch(/its lease was not renewed/);
    expect(holdsLease('r1')).toBe(false);
    await stuck.release();
    await hanging;
    await until(() => !isTaskRunning('r1'));
  });

  it("refuses the writes of a driver whose lease went to another replica, and stops it", async () => {
    await insertRun('r1');
    const { ended, work, inside } = puppet();
    expect(await drive('r1', work)).toBe(true);
    await until(() => ended.signal !== undefined);
    await note('r1', 'info', 'While it held the lease.');
    // Given another replica took the lease over (this one was paused past its lease)
    await rows(`UPDATE run_leases SET holder = 'other/1/b' WHERE run_id = 'r1'`);
    // when the old driver writes for the run, from inside its task
    const failure = await inside(() => setRunStatus('r1', ['running'], 'failed', 'Should not be stored.'));
    // then nothing is stored and it stops driving
    expect(isLeaseLost(failure)).toBe(true);
    expect((await getRun('r1'))?.status).toBe('running');
    expect((await runEventsSince('r1', 0)).map((e) => e.event)).toEqual([{ type: 'note', level: 'info', message: 'While it held the lease.' }]);
    await until(() => ended.reason !== undefined);
    expect((await leaseOf('r1'))?.holder).toBe('other/1/b');
  });

  it('changes no stack once its task was told to stop, or once the store has its lease as another’s', async () => {
    await insertRun('r1');
    const { ended, work, inside } = puppet();
    expect(await drive('r1', work)).toBe(true);
    await until(() => ended.signal !== undefined);
    await expect(inside(() => assertDriving('r1', ended.signal))).resolves.toBeUndefined();
    await rows(`UPDATE run_leases SET expires_at = expires_at - 60000 WHERE run_id = 'r1'`);
    expect(isLeaseLost(await inside(() => assertDriving('r1', ended.signal)))).toBe(true);
    await until(() => ended.signal!.aborted);
    await expect(assertDriving('r1', ended.signal)).rejects.toBeInstanceOf(NotDriving);
  });

  it('drives only a run in the status it expects, giving the lease back otherwise', async () => {
    await insertRun('r1', 'cancelled');
    const { work } = puppet();
    expect(await drive('r1', work, { expect: ['running'] })).toBe(false);
    expect(isTaskRunning('r1')).toBe(false);
    expect(await leaseOf('r1')).toBeUndefined();
    expect(await acquireLease('r1', 'other/1/b', 10_000)).toBe(true);
    expect(await value(`SELECT count(*) FROM run_leases WHERE holder = '${replicaId()}'`)).toBe(0);
  });
});

/** SQLite: a transaction that holds the store's one connection until released. */
async function stuckSqlite(): Promise<{ release: () => Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const done = (await getDb()).connection().execute(async () => {
    entered();
    await held;
  });
  await inside;
  return { release: async () => (release(), await done) };
}

/** PostgreSQL: the lease's row locked by another session until released (each renewal times out). */
async function stuckLeaseRow(runId: string): Promise<{ release: () => Promise<void> }> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT * FROM run_leases WHERE run_id = $1 FOR UPDATE', [runId]);
  return { release: async () => (await client.query('ROLLBACK'), await client.end()) };
}
