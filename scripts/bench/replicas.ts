// Two replicas on one PostgreSQL: how long after the replica driving a run dies another takes it
// over, and how soon a viewer on one replica gets events another replica stored. The bench process
// is replica A (it drives the run, then stops renewing its lease as a killed process would); a
// built console (`npm run build` first) is replica B. Needs TEST_DATABASE_URL, or starts its own
// server with scripts/test-postgres.sh.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';

const ROOT = join(__dirname, '..', '..');
const EVENTS = 200;

export interface ReplicasBench {
  leaseSeconds: number;
  takeOverMs: number;
  pollMs: number;
  deliveryP50Ms: number;
  deliveryP95Ms: number;
  deliveries: number;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ownServer(): { url: string; stop: () => void } {
  const parent = mkdtempSync(join(tmpdir(), 'lr-bench-pg-'));
  chmodSync(parent, 0o755);
  const script = join(ROOT, 'scripts', 'test-postgres.sh');
  const started = spawnSync('bash', [script, 'start', join(parent, 'data'), process.env.BENCH_POSTGRES_PORT ?? '55439'], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`could not start PostgreSQL: ${started.stderr}`);
  const stop = () => {
    spawnSync('bash', [script, 'stop', join(parent, 'data')]);
    rmSync(parent, { recursive: true, force: true });
  };
  return { url: started.stdout.trim(), stop };
}

export async function benchReplicas(): Promise<ReplicasBench> {
  const own = process.env.TEST_DATABASE_URL ? undefined : ownServer();
  if (own) process.env.TEST_DATABASE_URL = own.url;
  const { createTestDatabase, dropTestDatabase } = await import('../../lib/store/testing/postgres');
  const databaseUrl = await createTestDatabase('lr_bench');
  const { startSandbox } = await import('../../lib/sandbox/index');
  const sandbox = await startSandbox({ timeScale: 0.05 });
  const dataDir = mkdtempSync(join(tmpdir(), 'lr-bench-replicas-'));
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    CONSOLE_DATA_DIR: dataDir,
    CONSOLE_SANDBOX: 'off',
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
    AWS_REGION: sandbox.region,
    CONSOLE_POLL_MS: '250',
  });
  const { env, resetEnvForTests } = await import('../../lib/env');
  resetEnvForTests();
  const port = Number(process.env.BENCH_PORT ?? 3690);
  const b = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1', CONSOLE_DATA_DIR: join(dataDir, 'b'), NODE_ENV: 'production' },
  });
  let output = '';
  b.stdout.on('data', (t: Buffer) => (output += t.toString()));
  b.stderr.on('data', (t: Buffer) => (output += t.toString()));
  const base = `http://127.0.0.1:${port}`;
  const { closeDb } = await import('../../lib/store/db');
  try {
    for (let i = 0; !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); i += 1) {
      if (i > 240) throw new Error(`replica B did not start:\n${output}`);
      await pause(250);
    }
    const { createUser } = await import('../../lib/auth/users');
    const { createSession } = await import('../../lib/auth/sessions');
    const { createDeployment } = await import('../../lib/store/deployments');
    const { defaultPlan2025, METAS_2025 } = await import('../../lib/plan/testing/line-2025');
    const { approveRun, prepareRun } = await import('../../lib/deploy/engine');
    const { keepLeases } = await import('../../lib/deploy/replica');
    const { stopTask } = await import('../../lib/deploy/runtime');
    const { getRun, runStacks } = await import('../../lib/store/runs');
    const { appendRunEvent, runEventsSince } = await import('../../lib/store/run-events');
    const { insertRun } = await import('../../lib/store/testing/runs');
    const { acquireLease } = await import('../../lib/store/leases');

    // Delivery: A stores events one by one; a viewer streams them from B.
    const user = await createUser({ username: 'bench', role: 'admin', password: 'bench password, long enough' });
    const { token } = await createSession(user.id, undefined);
    await insertRun('run-bench-delivery');
    await acquireLease('run-bench-delivery', 'bench-a/1/a', 600_000);
    const stored = new Map<number, number>();
    const latencies: number[] = [];
    const abort = new AbortController();
    const response = await fetch(`${base}/api/runs/run-bench-delivery/events`, { headers: { cookie: `lr_session=${token}` }, signal: abort.signal });
    const parser = createParser({
      onEvent: (m) => {
        const at = stored.get(Number(m.id));
        if (at !== undefined) latencies.push(Date.now() - at);
      },
    });
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch {
        // aborted at the end
      }
    })();
    for (let i = 0; i < EVENTS; i += 1) {
      const seq = await appendRunEvent('run-bench-delivery', { type: 'note', level: 'info', message: `event ${i}` });
      stored.set(seq!, Date.now());
      await pause(20 + Math.random() * 80);
    }
    for (let i = 0; i < 50 && latencies.length < EVENTS; i += 1) await pause(100);
    abort.abort();
    await reading;

    // Take-over: A drives a deployment with its lease kept, then dies mid-run (stops driving and renewing).
    keepLeases(async () => undefined);
    const plan = defaultPlan2025();
    plan.name = 'bench-replicas';
    for (const meta of METAS_2025) plan.stackNames[meta.id] = `br-${meta.id}`;
    const deployment = await createDeployment({ name: plan.name, plan, createdBy: 'bench' });
    const run = await prepareRun({ deploymentId: deployment.id, user: 'bench', operation: { kind: 'deploy' }, confirmedAccount: sandbox.accountId });
    while ((await getRun(run.id))?.status !== 'awaiting-approval') await pause(50);
    await approveRun(run.id, 'bench');
    while (!(await runStacks(run.id)).some((s) => s.stackId === 'common' && s.status === 'in-progress')) await pause(50);
    const diedAt = Date.now();
    await stopTask(run.id, 'bench: replica A dies');
    let takeOverMs = NaN;
    for (let i = 0; i < 1200 && Number.isNaN(takeOverMs); i += 1) {
      const notes = (await runEventsSince(run.id, 0, 1000)).filter((e) => e.event.type === 'note' && e.event.message.includes('picks it up'));
      if (notes.length > 0) takeOverMs = Date.now() - diedAt;
      else await pause(100);
    }
    while (!['succeeded', 'failed'].includes((await getRun(run.id))?.status ?? '')) await pause(200);
    return {
      leaseSeconds: env().CONSOLE_RUN_LEASE_SECONDS,
      takeOverMs,
      pollMs: env().CONSOLE_EVENT_POLL_MS,
      deliveryP50Ms: percentile(latencies, 0.5),
      deliveryP95Ms: percentile(latencies, 0.95),
      deliveries: latencies.length,
    };
  } finally {
    b.kill('SIGTERM');
    await new Promise((resolve) => b.once('exit', resolve));
    await closeDb();
    await sandbox.close();
    await dropTestDatabase(databaseUrl);
    own?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
