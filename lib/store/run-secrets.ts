// A run's secret values, sealed by the deploy engine (lib/deploy/secrets.ts), kept until the run
// ends so that any replica can approve the run or take it over. The store never sees them in clear.
import 'server-only';
import { withDb } from './db';
import { writeForRun } from './fence';

export async function putRunSecrets(runId: string, sealed: string, now = Date.now()): Promise<void> {
  await writeForRun(runId, (db) =>
    db
      .insertInto('run_secrets')
      .values({ run_id: runId, sealed, created_at: now })
      .onConflict((oc) => oc.column('run_id').doUpdateSet({ sealed, created_at: now }))
      .execute(),
  );
}

export async function runSecretsOf(runId: string): Promise<string | undefined> {
  const row = await withDb((db) => db.selectFrom('run_secrets').select('sealed').where('run_id', '=', runId).executeTakeFirst());
  return row?.sealed;
}

export async function deleteRunSecrets(runId: string): Promise<void> {
  await writeForRun(runId, (db) => db.deleteFrom('run_secrets').where('run_id', '=', runId).execute());
}
