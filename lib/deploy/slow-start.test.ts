// A run's lease is kept from the moment the run is created: a preview whose first steps are slow
// (the store answering slowly) is not taken for a dead replica's and failed by another replica.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { CORE_ONLY_2025, namedPlan2025 } from '@/lib/plan/testing/line-2025';
import { getEmbeddedSandbox } from '@/lib/sandbox/embedded';
import { createDeployment } from '@/lib/store/deployments';
import { leaseOf } from '@/lib/store/leases';
import { value } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { cancelRun, prepareRun } from './engine';
import { shortLeases } from './testing/short-leases';
import { untilRun } from './testing/until';


// Only PostgreSQL lets one table stay locked while the lease's own connection goes on.
describe.each(BACKENDS.filter((backend) => backend === 'postgres'))('a slow preview start (%s)', (backend) => {
  setupTempStore(backend);
  beforeAll(async () => {
    Object.assign(process.env, { CONSOLE_SANDBOX: 'on', SANDBOX_TIME_SCALE: '0.0005', CONSOLE_POLL_MS: '50' });
    resetEnvForTests();
    await getEmbeddedSandbox({ timeScale: 0.0005 });
  });
  shortLeases();

  it('keeps its lease renewed while its first steps wait, longer than a lease', async () => {
    const plan = namedPlan2025('slow', CORE_ONLY_2025);
    const deployment = await createDeployment({ name: 'slow', plan, createdBy: 'alice' });
    // Given the audit log locked by another session: the start waits at its audit entry
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
    const preparing = prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: '111111111111' });
    let runId: string | undefined;
    for (let i = 0; i < 500 && !runId; i += 1) {
      runId = await value<string>(`SELECT id FROM runs WHERE deployment_id = '${deployment.id}'`);
      if (!runId) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // when it waits for two leases' time
    await new Promise((resolve) => setTimeout(resolve, 4000));
    // then the lease is still alive (renewed meanwhile), so no replica may take the run over
    expect((await leaseOf(runId!))?.remainingMs).toBeGreaterThan(0);
    await blocker.query('ROLLBACK');
    await blocker.end();
    const run = await preparing;
    expect((await untilRun(run.id, ['awaiting-approval', 'failed'])).status).toBe('awaiting-approval');
    await cancelRun(run.id, 'alice');
  });
});
