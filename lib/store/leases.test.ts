import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { leaseStatementMs, withDb } from './db';
import { isStoreUnavailable } from './errors';
import { acquireLease, leaseOf, releaseLease, renewLeases, runLeases } from './leases';
import { insertRun } from './testing/runs';
import { BACKENDS, setupTempStore } from './testing/temp-store';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)('run leases (%s)', (backend) => {
  setupTempStore(backend);

  it('go to one holder at a time, even when many replicas reach for a free one at once', async () => {
    await insertRun('r1');
    const holders = Array.from({ length: 8 }, (_, i) => `replica-${i}/1/a`);
    const won = await Promise.all(holders.map((holder) => acquireLease('r1', holder, 10_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = holders[won.indexOf(true)]!;
    expect((await leaseOf('r1'))?.holder).toBe(winner);
    // the holder may take it again (renewing it); nobody else may while it lives
    expect(await acquireLease('r1', winner, 10_000)).toBe(true);
    expect(await acquireLease('r1', 'someone-else/1/b', 10_000)).toBe(false);
  });

  it('lapse when not renewed, and then go to whoever asks first; the old holder can no longer renew', async () => {
    await insertRun('r1');
    expect(await acquireLease('r1', 'a/1/a', 300)).toBe(true);
    expect(await renewLeases('a/1/a', ['r1'], 300)).toEqual(new Set(['r1']));
    expect(await runLeases(['running'])).toEqual([{ id: 'r1', holder: 'a/1/a', free: false }]);
    await pause(400);
    expect(await runLeases(['running'])).toEqual([{ id: 'r1', holder: 'a/1/a', free: true }]);
    expect(await acquireLease('r1', 'b/1/b', 10_000)).toBe(true);
    expect(await renewLeases('a/1/a', ['r1'], 10_000)).toEqual(new Set());
    expect((await leaseOf('r1'))?.remainingMs).toBeGreaterThan(9000);
  });

  it('are replaced at once when their holder is known to be dead', async () => {
    await insertRun('r1');
    expect(await acquireLease('r1', 'dead/1/a', 60_000)).toBe(true);
    expect(await acquireLease('r1', 'b/1/b', 10_000)).toBe(false);
    expect(await acquireLease('r1', 'b/1/b', 10_000, 'dead/1/a')).toBe(true);
  });

  it('list runs without a live driver, and only the runs in the statuses asked for', async () => {
    await insertRun('held');
    await insertRun('free');
    await insertRun('done', 'succeeded');
    await acquireLease('held', 'a/1/a', 60_000);
    expect(await runLeases(['running'])).toEqual([
      { id: 'held', holder: 'a/1/a', free: false },
      { id: 'free', holder: null, free: true },
    ]);
    await releaseLease('held', 'someone-else/1/b');
    expect((await leaseOf('held'))?.holder).toBe('a/1/a');
    await releaseLease('held', 'a/1/a');
    expect(await leaseOf('held')).toBeUndefined();
  });
});

// A pool and a statement timeout are PostgreSQL's; SQLite has one writer at a time anyway.
describe.each(BACKENDS.filter((backend) => backend === 'postgres'))('run leases (%s, pooled)', (backend) => {
  setupTempStore(backend);

  it('renew on connections of their own while every pooled connection is busy', async () => {
    await insertRun('r1');
    expect(await acquireLease('r1', 'a/1/a', 10_000)).toBe(true);
    // Every connection of the pool (CONSOLE_DB_POOL_SIZE, 10) is taken by a slow query.
    const slow = Array.from({ length: 10 }, () => withDb((db) => sql`SELECT pg_sleep(4)`.execute(db)));
    await pause(300);
    const started = performance.now();
    expect(await renewLeases('a/1/a', ['r1'], 10_000)).toEqual(new Set(['r1']));
    expect(performance.now() - started).toBeLessThan(2500);
    await Promise.all(slow);
  });

  it('give up a renewal stuck behind a lock within a sixth of the lease, as a store fault', async () => {
    await insertRun('r1');
    expect(await acquireLease('r1', 'a/1/a', 10_000)).toBe(true);
    const timeoutMs = leaseStatementMs();
    expect(timeoutMs).toBe(2500);
    // Another session holds the lease's row and does not let go.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query("SELECT * FROM run_leases WHERE run_id = 'r1' FOR UPDATE");
      const started = performance.now();
      const failure = await renewLeases('a/1/a', ['r1'], 10_000).catch((error: unknown) => error);
      const took = performance.now() - started;
      expect(isStoreUnavailable(failure)).toBe(true);
      expect(took).toBeGreaterThanOrEqual(timeoutMs - 100);
      expect(took).toBeLessThan(timeoutMs + 1500);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });
});
