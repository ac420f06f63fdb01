// Manual steps ticked off on a deployment's page: who did each and when. The steps themselves
// (what to do, with which values) are the release line's; the store only remembers the ticks.
import 'server-only';
import { withDb } from './db';

export interface StepDone {
  stepId: string;
  doneBy: string;
  doneAt: Date;
}

export async function stepsDone(deploymentId: string): Promise<StepDone[]> {
  const rows = await withDb((db) => db.selectFrom('deployment_steps').selectAll().where('deployment_id', '=', deploymentId).orderBy('done_at').execute());
  return rows.map((row) => ({ stepId: row.step_id, doneBy: row.done_by, doneAt: new Date(row.done_at) }));
}

/** Marks a step done (again: the latest tick wins) or not done. */
export async function setStepDone(deploymentId: string, stepId: string, done: { by: string; at?: number } | false): Promise<void> {
  await withDb(async (db) => {
    if (!done) {
      await db.deleteFrom('deployment_steps').where('deployment_id', '=', deploymentId).where('step_id', '=', stepId).execute();
      return;
    }
    const at = done.at ?? Date.now();
    await db
      .insertInto('deployment_steps')
      .values({ deployment_id: deploymentId, step_id: stepId, done_by: done.by, done_at: at })
      .onConflict((oc) => oc.columns(['deployment_id', 'step_id']).doUpdateSet({ done_by: done.by, done_at: at }))
      .execute();
  });
}
