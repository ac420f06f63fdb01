// This console process as one replica among several sharing a store: its id, the leases on the
// runs it drives (taken before driving, renewed every third of their lifetime, given up when the
// run's task ends), and the periodic look for runs whose driver died, which it takes over.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { env } from '@/lib/env';
import { storeDialect } from '@/lib/store/db';
import { acquireLease, releaseLease, renewLeases } from '@/lib/store/leases';
import { runningTasks, startTask, stopTask } from './runtime';

interface Replica {
  readonly id: string;
  /** When this process last renewed its leases (or started). */
  renewedAt: number;
  keeper?: NodeJS.Timeout;
}

const HELD = Symbol.for('lakerunner.console.replica');
type Holder = typeof globalThis & { [HELD]?: Replica };

function replica(): Replica {
  const holder = globalThis as Holder;
  holder[HELD] ??= { id: `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`, renewedAt: Date.now() };
  return holder[HELD];
}

/** host/pid/random: unique per process, and readable in notes and logs. */
export const replicaId = () => replica().id;
export const leaseMs = () => env().CONSOLE_RUN_LEASE_SECONDS * 1000;

/**
 * A holder that is certainly gone: with SQLite every replica runs on this host, so a holder here
 * whose process is gone (or whose pid is now ours) died, and its lease need not run out first.
 * PostgreSQL replicas may share a pid across containers, so only the lease's expiry counts there.
 */
export function deadHolder(holder: string | null): string | undefined {
  if (!holder || holder === replicaId() || storeDialect() !== 'sqlite') return undefined;
  const [host, pid] = holder.split('/');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return undefined;
  if (Number(pid) === process.pid) return holder;
  try {
    process.kill(Number(pid), 0);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? holder : undefined;
  }
}

/**
 * Drives a run in this process while holding its lease: false when another live replica holds it.
 * The lease is given up when the work ends, unless it was lost meanwhile.
 */
export async function drive(runId: string, work: (signal: AbortSignal) => Promise<void>, replacing?: string): Promise<boolean> {
  if (runningTasks().includes(runId)) return true;
  if (!(await acquireLease(runId, replicaId(), leaseMs(), replacing))) return false;
  void startTask(runId, async (signal) => {
    try {
      await work(signal);
    } finally {
      if (!signal.aborted) await releaseLease(runId, replicaId()).catch((error: unknown) => console.warn(`Run ${runId}: its lease was not released (${String(error)}); it lapses by itself.`));
    }
  });
  return true;
}

/**
 * Renews the leases of the runs this process drives and stops driving those it lost (another
 * replica took them over). When the store has not answered for a whole lease, every run stops
 * here: another replica may be taking them over.
 */
export async function renewHeldLeases(): Promise<void> {
  const state = replica();
  const runs = runningTasks();
  try {
    const held = await renewLeases(state.id, runs, leaseMs());
    state.renewedAt = Date.now();
    for (const runId of runs) {
      if (held.has(runId)) continue;
      console.warn(`Run ${runId}: another replica holds its lease now; this replica (${state.id}) stops driving it.`);
      void stopTask(runId, 'lease lost');
    }
  } catch (error) {
    if (Date.now() - state.renewedAt < leaseMs()) return;
    console.error(`The leases of this replica's runs could not be renewed for ${leaseMs() / 1000} s (${error instanceof Error ? error.message : String(error)}); it stops driving them, and they are taken over once the store answers.`);
    for (const runId of runs) void stopTask(runId, 'lease lapsed');
  }
}

/** Every third of a lease: renew ours, then look for runs to take over (`takeOver`). Once per process. */
export function keepLeases(takeOver: () => Promise<unknown>): void {
  const state = replica();
  if (state.keeper) return;
  let busy = false;
  state.keeper = setInterval(() => {
    if (busy) return;
    busy = true;
    void renewHeldLeases()
      .then(() => takeOver())
      .catch((error: unknown) => console.error('Looking for runs to take over failed:', error instanceof Error ? error.message : error))
      .finally(() => (busy = false));
  }, Math.max(500, leaseMs() / 3));
  state.keeper.unref();
}

/** Shutdown: stop driving every run and give up its lease, so another replica takes it over at once. */
export async function releaseAll(): Promise<void> {
  const state = replica();
  if (state.keeper) clearInterval(state.keeper);
  state.keeper = undefined;
  const runs = runningTasks();
  // A task stuck in a call that ignores the signal does not hold the shutdown up for long.
  const stopped = Promise.all(runs.map((runId) => stopTask(runId, 'shutting down') ?? Promise.resolve()));
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  await Promise.all(runs.map((runId) => releaseLease(runId, state.id).catch(() => undefined)));
}
