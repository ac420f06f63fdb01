// Run leases: the replica driving a run holds the run's row in run_leases and renews it; once it
// lapses (the holder died or lost the store), another replica may take the run over. Expiry is
// judged by the database's clock, so replicas' clocks need not agree. Taking, renewing and giving
// up a lease use the leases' own connection (withLeaseDb), never waiting behind other queries.
import 'server-only';
import { sql } from 'kysely';
import type { RunStatus } from '@/lib/deploy/types';
import { dbNow, withDb, withLeaseDb } from './db';

/** A new lease's row (for a run created with its lease). */
export const leaseRow = (runId: string, holder: string, ttlMs: number) => ({
  run_id: runId,
  holder,
  expires_at: sql<number>`${dbNow()} + ${ttlMs}`,
  acquired_at: dbNow(),
});

/**
 * Takes the run's lease for `holder` when it is free, lapsed, already the holder's, or held by
 * `replacing` (a holder known to be dead).
 */
export async function acquireLease(runId: string, holder: string, ttlMs: number, replacing?: string): Promise<boolean> {
  const row = await withLeaseDb((db) =>
    db
      .insertInto('run_leases')
      .values(leaseRow(runId, holder, ttlMs))
      .onConflict((oc) =>
        oc
          .column('run_id')
          .doUpdateSet({ holder, expires_at: sql<number>`${dbNow()} + ${ttlMs}`, acquired_at: dbNow() })
          .where((eb) => eb.or([eb('run_leases.expires_at', '<=', dbNow()), eb('run_leases.holder', 'in', [holder, replacing ?? holder])])),
      )
      .returning('holder')
      .executeTakeFirst(),
  );
  return row?.holder === holder;
}

/** Extends the holder's leases on these runs; returns the runs it still holds. */
export async function renewLeases(holder: string, runIds: readonly string[], ttlMs: number): Promise<Set<string>> {
  if (runIds.length === 0) return new Set();
  const rows = await withLeaseDb((db) =>
    db
      .updateTable('run_leases')
      .set({ expires_at: sql<number>`${dbNow()} + ${ttlMs}` })
      .where('holder', '=', holder)
      .where('run_id', 'in', runIds)
      .returning('run_id')
      .execute(),
  );
  return new Set(rows.map((row) => row.run_id));
}

export async function releaseLease(runId: string, holder: string): Promise<void> {
  await withLeaseDb((db) => db.deleteFrom('run_leases').where('run_id', '=', runId).where('holder', '=', holder).execute());
}

export interface LeaseView {
  readonly holder: string;
  /** Milliseconds until it lapses, by the database's clock (negative once lapsed). */
  readonly remainingMs: number;
}

export async function leaseOf(runId: string): Promise<LeaseView | undefined> {
  const row = await withDb((db) =>
    db
      .selectFrom('run_leases')
      .select(['holder', sql<number>`expires_at - ${dbNow()}`.as('remaining')])
      .where('run_id', '=', runId)
      .executeTakeFirst(),
  );
  return row && { holder: row.holder, remainingMs: Number(row.remaining) };
}

export interface LeasedRun {
  readonly id: string;
  /** The replica holding the lease, null when there is none. */
  readonly holder: string | null;
  /** No lease, or a lapsed one. */
  readonly free: boolean;
}

/** The runs in these statuses, oldest first, with who holds each. */
export async function runLeases(statuses: readonly RunStatus[]): Promise<LeasedRun[]> {
  if (statuses.length === 0) return [];
  const rows = await withDb((db) =>
    db
      .selectFrom('runs')
      .leftJoin('run_leases', 'run_leases.run_id', 'runs.id')
      .select(['runs.id as id', 'run_leases.holder as holder', sql<number | null>`run_leases.expires_at - ${dbNow()}`.as('remaining')])
      .where('runs.status', 'in', statuses)
      .orderBy('runs.created_at')
      .execute(),
  );
  return rows.map((row) => ({ id: row.id, holder: row.holder, free: row.holder === null || Number(row.remaining) <= 0 }));
}
