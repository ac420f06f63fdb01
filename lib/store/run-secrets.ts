// A run's secret values, sealed by the deploy engine (lib/deploy/secrets.ts), kept until the run
// ends (or, while it waits for approval, until they expire) so that any replica can approve the
// run or take it over. The store never sees them in clear. Ages are judged by the database's clock.
import 'server-only';
import { sql } from 'kysely';
import { dbNow, withDb } from './db';
import { writeForRun } from './fence';

export async function putRunSecrets(runId: string, sealed: string): Promise<void> {
  await writeForRun(runId, (db) =>
    db
      .insertInto('run_secrets')
      .values({ run_id: runId, sealed, created_at: dbNow() })
      .onConflict((oc) => oc.column('run_id').doUpdateSet({ sealed, created_at: dbNow() }))
      .execute(),
  );
}

/** The same values sealed again (another key): their age stays. */
export async function resealRunSecrets(runId: string, sealed: string): Promise<void> {
  await writeForRun(runId, (db) => db.updateTable('run_secrets').set({ sealed }).where('run_id', '=', runId).execute());
}

export interface StoredRunSecrets {
  readonly sealed: string;
  /** Milliseconds since they were sealed, by the database's clock. */
  readonly ageMs: number;
}

export async function runSecretsOf(runId: string): Promise<StoredRunSecrets | undefined> {
  const row = await withDb((db) =>
    db
      .selectFrom('run_secrets')
      .select(['sealed', sql<number>`${dbNow()} - created_at`.as('age')])
      .where('run_id', '=', runId)
      .executeTakeFirst(),
  );
  return row && { sealed: row.sealed, ageMs: Number(row.age) };
}

export async function deleteRunSecrets(runId: string): Promise<void> {
  await writeForRun(runId, (db) => db.deleteFrom('run_secrets').where('run_id', '=', runId).execute());
}

/** Deletes the values of runs awaiting approval sealed at least `ttlMs` ago; returns those runs. */
export async function deleteExpiredRunSecrets(ttlMs: number): Promise<string[]> {
  const rows = await withDb((db) =>
    db
      .deleteFrom('run_secrets')
      .where('created_at', '<=', sql<number>`${dbNow()} - ${ttlMs}`)
      .where('run_id', 'in', (eb) => eb.selectFrom('runs').select('id').where('status', '=', 'awaiting-approval'))
      .returning('run_id')
      .execute(),
  );
  return rows.map((row) => row.run_id);
}
