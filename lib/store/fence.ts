// Fencing a run's writes with its lease: work that drives a run runs inside fenced(), and every
// write the store makes for that run (its events, status, stacks, locks, secrets, and the
// deployment it finishes) then commits only while the lease is still the driver's by the
// database's clock, checked in the write's own transaction. A driver that lost its lease without
// noticing (paused, cut off) has its writes refused: LeaseLostError, and its work is stopped.
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import { dbNow, inTransaction, storeDialect, withDb, type StoreDb } from './db';

export interface Fence {
  readonly runId: string;
  readonly holder: string;
  /** Called once the store has refused a write: stop driving the run. */
  readonly onLost: (error: LeaseLostError) => void;
}

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(readonly runId: string, readonly holder: string) {
    super(`Run ${runId}: ${holder} no longer holds its lease; the write was refused.`);
  }
}

/** By name: Next bundles this module more than once per process. */
export const isLeaseLost = (error: unknown): error is LeaseLostError => error instanceof Error && error.name === 'LeaseLostError';

const HELD = Symbol.for('lakerunner.console.store-fence');
type Holder = typeof globalThis & { [HELD]?: AsyncLocalStorage<Fence> };

function storage(): AsyncLocalStorage<Fence> {
  const holder = globalThis as Holder;
  holder[HELD] ??= new AsyncLocalStorage<Fence>();
  return holder[HELD];
}

/** Runs `work` with the run's writes fenced by the holder's lease. */
export function fenced<T>(fence: Fence, work: () => T): T {
  return storage().run(fence, work);
}

/** The fence of the work this call belongs to, when that work drives `runId`. */
export function fenceOf(runId: string): Fence | undefined {
  const fence = storage().getStore();
  return fence?.runId === runId ? fence : undefined;
}

/**
 * Throws LeaseLostError (after telling the fence) unless the lease is the fence's, unexpired. On
 * PostgreSQL the lease's row is share-locked until the transaction ends, so nobody takes it over
 * between this check and the commit; SQLite has one writer at a time.
 */
export async function assertLease(db: StoreDb, fence: Fence): Promise<void> {
  const lock = storeDialect() === 'postgres' ? sql` FOR SHARE` : sql``;
  const { rows } = await sql<{ held: number }>`SELECT 1 AS held FROM run_leases WHERE run_id = ${fence.runId} AND holder = ${fence.holder} AND expires_at > ${dbNow()}${lock}`.execute(db);
  if (rows.length > 0) return;
  const error = new LeaseLostError(fence.runId, fence.holder);
  fence.onLost(error);
  throw error;
}

/**
 * A write for `runId`: as is outside a fence, else in one transaction that checks the lease after
 * writing (so on SQLite the check runs under the write lock the writes took).
 */
export async function writeForRun<T>(runId: string, fn: (db: StoreDb) => Promise<T>, options: { exclusive?: boolean } = {}): Promise<T> {
  const fence = fenceOf(runId);
  if (!fence) return options.exclusive ? inTransaction(fn, options) : withDb(fn);
  return inTransaction(async (trx) => {
    const result = await fn(trx);
    await assertLease(trx, fence);
    return result;
  }, options);
}

/** Throws LeaseLostError unless the work's fence (if any) still holds the run's lease. */
export async function confirmLease(runId: string): Promise<void> {
  const fence = fenceOf(runId);
  if (fence) await withDb((db) => assertLease(db, fence));
}
