// A throttling storm during a deployment, in-process against the embedded sandbox (the e2e
// journey does the same through the browser): the run completes and its log holds every event
// CloudFormation recorded, once. Fast enough to guard the watcher's catch-up in every unit run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { contextFor, approveRun, prepareRun } from '@/lib/deploy/engine';
import { getEmbeddedSandbox } from '@/lib/sandbox/embedded';
import type { Sandbox } from '@/lib/sandbox/index';
import { allEvents } from '@/lib/sandbox/testing';
import { closeDb } from '@/lib/store/db';
import { createDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { getRun, runStacks } from '@/lib/store/runs';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';

let dir: string;
let sandbox: Sandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lr-throttling-'));
  Object.assign(process.env, { CONSOLE_DATA_DIR: dir, CONSOLE_SANDBOX: 'on', SANDBOX_TIME_SCALE: '0', SANDBOX_PORT: '0', CONSOLE_POLL_MS: '50' });
  resetEnvForTests();
  sandbox = await getEmbeddedSandbox({ timeScale: 0 });
});

afterAll(async () => {
  sandbox.faults.clear();
  await closeDb();
  rmSync(dir, { recursive: true, force: true });
});

async function settled(runId: string, statuses: string[]) {
  for (let i = 0; i < 12_000 && !statuses.includes((await getRun(runId))!.status); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  return (await getRun(runId))!;
}

describe('a throttling storm during a deployment', () => {
  it('completes, with every event CloudFormation recorded in the run once', { timeout: 180_000 }, async () => {
    const plan = defaultPlan2025();
    for (const meta of METAS_2025) plan.stackNames[meta.id] = `storm-${meta.id}`;
    plan.include = { grafana: true, otel: false, demo: false };
    const deployment = await createDeployment({ name: 'storm', plan, createdBy: 'alice' });
    const run = await prepareRun({ deploymentId: deployment.id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: sandbox.accountId });
    expect((await settled(run.id, ['awaiting-approval', 'failed'])).status).toBe('awaiting-approval');

    // every second DescribeStackEvents (the watchers' call) is refused with Throttling until the run is over
    sandbox.faults.throttle({ fraction: 0.5, actions: ['DescribeStackEvents'] });
    await approveRun(run.id, 'alice');
    const done = await settled(run.id, ['succeeded', 'failed']);
    sandbox.faults.clear();
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('succeeded');

    const cfn = (await contextFor(deployment, 'alice')).cloudFormation;
    const logged = (await runEventsSince(run.id, 0, 1000)).flatMap(({ event }) => (event.type === 'stack-event' && event.event.status !== 'REVIEW_IN_PROGRESS' ? [event.event] : []));
    for (const stack of await runStacks(run.id)) {
      const recorded = (await allEvents(cfn, stack.stackName)).filter((e) => String(e.ResourceStatus) !== 'REVIEW_IN_PROGRESS').map((e) => e.EventId);
      const ids = logged.filter((e) => e.stackName === stack.stackName).map((e) => e.eventId);
      expect(new Set(ids).size, stack.stackName).toBe(ids.length);
      expect(ids.sort(), stack.stackName).toEqual(recorded.sort());
    }
  });
});
