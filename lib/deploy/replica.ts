// This console process as one replica among several sharing a store: its id, the leases on the
// runs it drives (taken before driving, renewed every third of their lifetime, given up when the
// run's task ends), and the periodic look for runs whose driver died, which it takes over.
//
// One driver per run: each lease held here has a deadline on a timer of its own, counted from the
// moment the last successful renewal was sent (so it falls before the lease's expiry in the
// store); once it passes, this replica stops driving the run, even while a renewal hangs. Within
// the run's task every write for the run is fenced by the lease (lib/store/fence.ts), and nothing
// changes a stack once the task was told to stop (assertDriving).
import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunStatus } from '@/lib/deploy/types';
import { env } from '@/lib/env';
import { storeDialect } from '@/lib/store/db';
import { confirmLease, fenced } from '@/lib/store/fence';
import { acquireLease, releaseLease, renewLeases } from '@/lib/store/leases';
import { runStatusOf } from '@/lib/store/run-events';
import { NotDriving } from './run-env';
import { forgetEventKeys, runningTasks, startTask, stopTask } from './runtime';

interface HeldLease {
  /** performance.now() when the acquire or renewal that last succeeded was sent. */
  sentAt: number;
  timer?: NodeJS.Timeout;
}

interface Replica {
  readonly id: string;
  readonly leases: Map<string, HeldLease>;
  /** Renews the leases every third of their lifetime while this process holds any. */
  renewer?: NodeJS.Timeout;
  renewing?: boolean;
  /** Looks for runs to take over (keepLeases). */
  keeper?: NodeJS.Timeout;
  /** Whether the last renewal failed (to log a failure once, and its end). */
  failing?: boolean;
}

const HELD = Symbol.for('lakerunner.console.replica');
type Holder = typeof globalThis & { [HELD]?: Replica };

function replica(): Replica {
  const holder = globalThis as Holder;
  holder[HELD] ??= { id: `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`, leases: new Map() };
  return holder[HELD];
}

/** host/pid/random: unique per process, and readable in notes and logs. */
export const replicaId = () => replica().id;
export const leaseMs = () => env().CONSOLE_RUN_LEASE_SECONDS * 1000;
/**
 * How long after the last successful renewal was sent this replica stops driving: five sixths of
 * the lease, so it has stopped before the lease can lapse in the store and another replica may
 * take the run over (renewals come every third; one may fail, the next still counts).
 */
export const deadlineMs = () => Math.floor((leaseMs() * 5) / 6);

/** Whether this replica may still drive the run: it holds the run's lease and its deadline has not passed. */
export function holdsLease(runId: string, now = performance.now()): boolean {
  const held = replica().leases.get(runId);
  return held !== undefined && now - held.sentAt < deadlineMs();
}

function forgetLease(runId: string): void {
  const state = replica();
  const held = state.leases.get(runId);
  if (held?.timer) clearTimeout(held.timer);
  state.leases.delete(runId);
  if (state.leases.size === 0 && state.renewer) {
    clearInterval(state.renewer);
    state.renewer = undefined;
  }
}

/** Whoever holds a lease renews it: from the first lease held until the last one is given up. */
function keepRenewing(state: Replica): void {
  if (state.renewer) return;
  state.renewer = setInterval(() => {
    // A renewal still waiting is not joined by another; the leases' deadlines cover both.
    if (state.renewing) return;
    state.renewing = true;
    void renewHeldLeases().finally(() => (state.renewing = false));
  }, Math.max(500, leaseMs() / 3));
  state.renewer.unref();
}

function lapse(runId: string, why: string): void {
  forgetLease(runId);
  console.warn(`Run ${runId}: ${why}; this replica (${replicaId()}) stops driving it.`);
  void stopTask(runId, why);
}

/** Records a lease this replica now holds, renewed by a call sent at `sentAt`, and (re)arms its deadline. */
export function holdLease(runId: string, sentAt: number): void {
  const state = replica();
  const held = state.leases.get(runId) ?? { sentAt };
  if (held.timer) clearTimeout(held.timer);
  held.sentAt = Math.max(held.sentAt, sentAt);
  const check = () => {
    if (state.leases.get(runId) !== held) return;
    const left = held.sentAt + deadlineMs() - performance.now();
    if (left > 0) {
      held.timer = setTimeout(check, left);
      held.timer.unref();
      return;
    }
    lapse(runId, `its lease was not renewed for ${Math.round(deadlineMs() / 100) / 10} s (the store did not answer in time)`);
  };
  held.timer = setTimeout(check, Math.max(0, held.sentAt + deadlineMs() - performance.now()));
  held.timer.unref();
  state.leases.set(runId, held);
  keepRenewing(state);
}

/**
 * Takes the run's lease for this replica (free, lapsed, already ours, or held by `replacing`) and
 * keeps it renewed from now on; false when another live replica holds it.
 */
export async function takeLease(runId: string, replacing?: string): Promise<boolean> {
  const sentAt = performance.now();
  if (!(await acquireLease(runId, replicaId(), leaseMs(), replacing))) return false;
  holdLease(runId, sentAt);
  return true;
}

/** Gives the run's lease up (the run is over, or was never started here). */
export async function giveUpLease(runId: string): Promise<void> {
  forgetLease(runId);
  await releaseLease(runId, replicaId()).catch((error: unknown) => console.warn(`Run ${runId}: its lease was not released (${String(error)}); it lapses by itself.`));
}

/**
 * Throws RunStopped unless this replica may still change the run's stacks: the task was not told
 * to stop, the lease's deadline has not passed here, and the store still has the lease as ours.
 * Called right before every call that changes a stack (ExecuteChangeSet, DeleteStack…).
 */
export async function assertDriving(runId: string, signal?: AbortSignal): Promise<void> {
  const check = () => {
    if (!signal?.aborted && !holdsLease(runId)) lapse(runId, 'its lease deadline passed');
    if (signal?.aborted || !holdsLease(runId)) throw new NotDriving(runId);
  };
  check();
  await confirmLease(runId);
  // The check took a round trip: look again.
  check();
}

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
 * Runs `fn` with the run's writes fenced by this replica's lease (which it must hold), as a run's
 * task is: for the steps a request takes on a run it claimed (approving, cancelling…).
 */
export function whileHolding<T>(runId: string, fn: () => Promise<T>): Promise<T> {
  return fenced({ runId, holder: replicaId(), onLost: () => lapse(runId, 'the store has its lease as another replica’s now') }, fn);
}

const CLAIMS = Symbol.for('lakerunner.console.run-claims');
type ClaimHolder = typeof globalThis & { [CLAIMS]?: Map<string, Promise<unknown>> };

/**
 * One claim on a run at a time in this process (approve, cancel, take-over): replicas share one
 * holder id, so their leases cannot tell two requests of the same process apart; this does.
 */
export async function exclusivelyFor<T>(runId: string, fn: () => Promise<T>): Promise<T> {
  const holder = globalThis as ClaimHolder;
  const claims = (holder[CLAIMS] ??= new Map());
  const before = claims.get(runId) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(fn);
  const settled = mine.catch(() => undefined);
  claims.set(runId, settled);
  try {
    return await mine;
  } finally {
    if (claims.get(runId) === settled) claims.delete(runId);
  }
}

export interface DriveOptions {
  /** A holder known to be dead whose lease may be taken at once. */
  readonly replacing?: string;
  /** The statuses the run must be in to be driven; checked once the lease is ours. */
  readonly expect?: readonly RunStatus[];
}

/**
 * Drives a run in this process while holding its lease: false when another live replica holds it,
 * or the run is no longer in a status `expect` allows. The work's writes for the run are fenced by
 * the lease; the lease is given up when the work ends, unless it was lost meanwhile.
 */
export async function drive(runId: string, work: (signal: AbortSignal) => Promise<void>, options: DriveOptions = {}): Promise<boolean> {
  if (runningTasks().includes(runId)) return true;
  if (!(await takeLease(runId, options.replacing))) return false;
  if (options.expect) {
    const status = await runStatusOf(runId).catch((error: unknown) => {
      forgetLease(runId);
      throw error;
    });
    if (!status || !options.expect.includes(status)) {
      await giveUpLease(runId);
      return false;
    }
  }
  const holder = replicaId();
  void startTask(runId, (signal) =>
    fenced({ runId, holder, onLost: () => lapse(runId, 'the store has its lease as another replica’s now') }, async () => {
      try {
        await work(signal);
      } finally {
        forgetEventKeys(runId);
        if (!signal.aborted) await giveUpLease(runId);
        else forgetLease(runId);
      }
    }),
  );
  return true;
}

/**
 * Renews the leases this process holds and stops driving the runs it lost (another replica took
 * them over). A renewal that fails or hangs changes nothing here: each lease's deadline does the
 * rest.
 */
export async function renewHeldLeases(): Promise<void> {
  const state = replica();
  const runs = [...state.leases.keys()];
  if (runs.length === 0) return;
  const sentAt = performance.now();
  try {
    const held = await renewLeases(state.id, runs, leaseMs());
    if (state.failing) console.warn(`The leases of this replica's runs are renewed again.`);
    state.failing = false;
    for (const runId of runs) {
      if (!state.leases.has(runId)) continue;
      if (held.has(runId)) holdLease(runId, sentAt);
      else lapse(runId, 'another replica holds its lease now');
    }
  } catch (error) {
    if (!state.failing) console.error(`The leases of this replica's runs could not be renewed (${error instanceof Error ? error.message : String(error)}); each run stops here once its lease would lapse, and is taken over once the store answers.`);
    state.failing = true;
  }
}

/**
 * Every third of a lease, look for runs to take over (`takeOver`). Once per process. (The leases
 * held here are renewed on a timer of their own, which never waits for this look.)
 */
export function keepLeases(takeOver: () => Promise<unknown>): void {
  const state = replica();
  if (state.keeper) return;
  let looking = false;
  state.keeper = setInterval(() => {
    if (looking) return;
    looking = true;
    void takeOver()
      .catch((error: unknown) => console.error('Looking for runs to take over failed:', error instanceof Error ? error.message : error))
      .finally(() => (looking = false));
  }, Math.max(500, leaseMs() / 3));
  state.keeper.unref();
}

/** Shutdown: stop driving every run and give up its lease, so another replica takes it over at once. */
export async function releaseAll(): Promise<void> {
  const state = replica();
  if (state.keeper) clearInterval(state.keeper);
  state.keeper = undefined;
  const runs = [...new Set([...runningTasks(), ...state.leases.keys()])];
  // A task stuck in a call that ignores the signal does not hold the shutdown up for long.
  const stopped = Promise.all(runs.map((runId) => stopTask(runId, 'shutting down') ?? Promise.resolve()));
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  await Promise.all(runs.map((runId) => giveUpLease(runId)));
}
