// Test and bench helper: a deployment with one run, written straight into the store (the runs
// module's own API is not needed to exercise the event log), and the run's status set directly.
import type { RunStatus } from '@/lib/deploy/types';
import { withDb } from '../db';

export async function insertRun(runId: string, status: RunStatus = 'running'): Promise<void> {
  const now = Date.now();
  const deploymentId = `deployment-${runId}`;
  await withDb(async (db) => {
    await db
      .insertInto('deployments')
      .values({ id: deploymentId, name: deploymentId, region: 'us-east-1', plan: '{}', status: 'active', created_by: 'test', created_at: now, updated_at: now })
      .execute();
    await db
      .insertInto('runs')
      .values({ id: runId, deployment_id: deploymentId, kind: 'deploy', status, started_by: 'test', created_at: now, region: 'us-east-1', request: '{}' })
      .execute();
  });
}

export async function setRunStatus(runId: string, status: RunStatus): Promise<void> {
  await withDb((db) => db.updateTable('runs').set({ status, finished_at: Date.now() }).where('id', '=', runId).execute());
}
