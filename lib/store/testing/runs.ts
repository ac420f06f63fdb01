// Test and bench helper: a deployment with one run, written straight into the store (the runs
// module's own API is not needed to exercise the event log), and the run's status set directly.
import type { RunStatus } from '@/lib/deploy/types';
import { getDb } from '../db';

export function insertRun(runId: string, status: RunStatus = 'running'): void {
  const db = getDb();
  const now = Date.now();
  const deploymentId = `deployment-${runId}`;
  db.prepare(
    `INSERT INTO deployments (id, name, region, plan, status, created_by, created_at, updated_at)
     VALUES (?, ?, 'us-east-1', '{}', 'active', 'test', ?, ?)`,
  ).run(deploymentId, deploymentId, now, now);
  db.prepare(
    `INSERT INTO runs (id, deployment_id, kind, status, started_by, created_at, region, request)
     VALUES (?, ?, 'deploy', ?, 'test', ?, 'us-east-1', '{}')`,
  ).run(runId, deploymentId, status, now);
}

export function setRunStatus(runId: string, status: RunStatus): void {
  getDb().prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?').run(status, Date.now(), runId);
}
