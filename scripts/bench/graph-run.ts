// Bench: a full plan with every optional stack deployed by the engine on the embedded sandbox at a
// fixed time scale: the 2025 line's, or the current line's proof of concept (our VPC and cluster,
// the services root with its seven nested stacks). Prints the wall time from approval to the end, the sum of the stacks' own
// durations (from the console starting a stack to its settling, as the run's events record them),
// and the critical path of the run's graph computed from those same durations: a run as fast as
// the graph allows has a wall time close to the critical path, one stack at a time close to the sum.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GraphRunBench {
  line: '2025' | 'current';
  timeScale: number;
  maxParallel: number;
  wallMs: number;
  sumMs: number;
  criticalPathMs: number;
  criticalPath: string[];
  stacks: { stackName: string; ms: number }[];
}

const TIME_SCALE = 0.02;
const POLL_MS = 100;

export async function benchGraphRun(maxParallel = 3, lineId: '2025' | 'current' = '2025'): Promise<GraphRunBench> {
  const dir = mkdtempSync(join(tmpdir(), 'lr-bench-graph-'));
  Object.assign(process.env, {
    CONSOLE_DATA_DIR: dir,
    CONSOLE_SANDBOX: 'on',
    SANDBOX_TIME_SCALE: String(TIME_SCALE),
    CONSOLE_POLL_MS: String(POLL_MS),
    CONSOLE_MAX_PARALLEL_STACKS: String(maxParallel),
  });
  const { resetEnvForTests } = await import('../../lib/env');
  resetEnvForTests();
  const { getEmbeddedSandbox } = await import('../../lib/sandbox/embedded');
  const { closeDb } = await import('../../lib/store/db');
  const { createDeployment } = await import('../../lib/store/deployments');
  const { runEventsSince } = await import('../../lib/store/run-events');
  const { getRun, runStacks } = await import('../../lib/store/runs');
  const { approveRun, prepareRun } = await import('../../lib/deploy/engine');
  const { operationGraph } = await import('../../lib/deploy/scope');
  const { criticalPath } = await import('../../lib/params/graph');
  const { defaultPlan } = await import('../../lib/params/plan');
  const { isLineId, lineById } = await import('../../templates');
  const { toLineMeta } = await import('../../templates/line');
  const { CURRENT_SECRETS, currentPlan } = await import('../../lib/plan/testing/line-current');
  if (!isLineId(lineId)) throw new Error(`the ${lineId} line is not registered in templates/index.ts yet`);
  const line = toLineMeta(lineById(lineId));
  const metas = line.stacks;
  await getEmbeddedSandbox({ timeScale: TIME_SCALE });
  try {
    const prefix = `bench-${lineId}-p${maxParallel}`;
    const plan = lineId === 'current' ? currentPlan(prefix) : defaultPlan(line);
    if (lineId === '2025') plan.include = { grafana: true, otel: true, demo: true };
    for (const meta of metas) plan.stackNames[meta.id] = `${prefix}-${meta.id}`;
    const deployment = await createDeployment({ name: prefix, plan, createdBy: 'bench' });
    const secrets = lineId === 'current' ? CURRENT_SECRETS : undefined;
    const run = await prepareRun({ deploymentId: deployment.id, user: 'bench', operation: { kind: 'deploy' }, confirmedAccount: '111111111111', secrets });
    const settle = async (statuses: string[]) => {
      for (;;) {
        const current = (await getRun(run.id))!;
        if (statuses.includes(current.status)) return current;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await settle(['awaiting-approval']);
    await approveRun(run.id, 'bench');
    const done = await settle(['succeeded', 'failed']);
    if (done.status !== 'succeeded') throw new Error(`the bench run ${done.status}: ${done.error}`);

    // each stack's own duration: the console's first "in-progress" for it after approval, to its settling
    const approvedAt = done.startedAt!.getTime();
    const spans = new Map<string, { start?: number; end?: number }>();
    for (const { event } of await runEventsSince(run.id, 0, 1_000_000)) {
      if (event.type !== 'stack-status' || !event.at) continue;
      const at = Date.parse(event.at);
      if (at < approvedAt) continue;
      const span = spans.get(event.stackId) ?? {};
      if (event.status === 'in-progress') span.start ??= at;
      if (['complete', 'skipped', 'failed'].includes(event.status)) span.end = at;
      spans.set(event.stackId, span);
    }
    const stacks = await runStacks(run.id);
    const ms = (id: string) => {
      const span = spans.get(id);
      return span?.start !== undefined && span.end !== undefined ? span.end - span.start : 0;
    };
    const graph = operationGraph(plan, metas, stacks.map((s) => s.stackId), 'deploy');
    const path = criticalPath(graph, ms);
    return {
      line: lineId,
      timeScale: TIME_SCALE,
      maxParallel,
      wallMs: done.finishedAt!.getTime() - approvedAt,
      sumMs: stacks.reduce((a, s) => a + ms(s.stackId), 0),
      criticalPathMs: path.total,
      criticalPath: path.path.map((id) => plan.stackNames[id] ?? id),
      stacks: stacks.map((s) => ({ stackName: s.stackName, ms: ms(s.stackId) })),
    };
  } finally {
    await closeDb();
    rmSync(dir, { recursive: true, force: true });
  }
}
