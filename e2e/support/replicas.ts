// What the replica journeys share: a standalone sandbox (one AWS account for every console), a
// database of their own on the test PostgreSQL server (or on a server the journey starts and
// restarts itself), the run's events as the database holds them, and an SSE client that records
// every message of a run's stream.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import pg from 'pg';
import type { RunEvent } from '../../lib/deploy/types';
import type { SeqEvent } from './run-record';
import { sandboxControl } from './sandbox';

const ROOT = join(__dirname, '..', '..');
export const CONTROL_TOKEN = 'e2e-replicas-control-token';

export interface StandaloneSandbox {
  endpoint: string;
  /** Multiplies AWS's typical durations from now on, re-timing work in flight. */
  setTimeScale(scale: number): Promise<void>;
  stop(): Promise<void>;
}

/** `npm run sandbox` on a port of its own, its state in memory. */
export async function standaloneSandbox(port: number, timeScale: number): Promise<StandaloneSandbox> {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'scripts/sandbox.ts', '--port', String(port), '--time-scale', String(timeScale), '--control-token', CONTROL_TOKEN],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') } },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${output}`)), 60_000);
    const read = (text: Buffer) => {
      output += text.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${output}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const control = sandboxControl(endpoint, CONTROL_TOKEN);
  return { endpoint, setTimeScale: async (scale) => void (await control('POST', 'time-scale', { scale })), stop: () => ended(child, 'SIGTERM') };
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** The run's rows in run_events, oldest first, as the database holds them. */
export async function storedRunEventsIn(databaseUrl: string, runId: string): Promise<SeqEvent[]> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ seq: string; data: string }>('SELECT seq, data FROM run_events WHERE run_id = $1 ORDER BY seq', [runId]);
    return rows.map((row) => ({ seq: Number(row.seq), event: JSON.parse(row.data) as RunEvent }));
  });
}

export async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Every message of a run's event stream on one console, following its reconnects, until `end`. */
export function recordStream(baseUrl: string, runId: string, cookie: string) {
  const received: { id: number; event: RunEvent }[] = [];
  let lastId = '';
  let ended = false;
  const done = (async () => {
    while (!ended) {
      try {
        const response = await fetch(`${baseUrl}/api/runs/${runId}/events`, { headers: { cookie, ...(lastId && { 'Last-Event-ID': lastId }) } });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        const parser = createParser({
          onEvent: (message) => {
            if (message.event === 'end') ended = true;
            else if (message.id) {
              lastId = message.id;
              received.push({ id: Number(message.id), event: JSON.parse(message.data) as RunEvent });
            }
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch {
        // EventSource would retry after `retry`; so does this.
      }
      if (!ended) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return { received, done };
}

/**
 * A PostgreSQL server of the journey's own (scripts/test-postgres.sh), which it can stop and start;
 * its data in a temporary directory the postgres user can reach.
 */
export function postgresServer(port: number) {
  const parent = mkdtempSync(join(tmpdir(), 'lr-e2e-pg-'));
  chmodSync(parent, 0o755);
  const dir = join(parent, 'data');
  const run = (...args: string[]) => {
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'test-postgres.sh'), ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`test-postgres.sh ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.trim();
  };
  return {
    start: () => run('start', dir, String(port)),
    stop: () => void run('stop', dir),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}
