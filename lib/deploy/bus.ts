// In-process "run has new events" notifications between the store's writers and the SSE streams.
// Carries no data: listeners read the store, so a missed or merged notification loses nothing.
import 'server-only';

type Listener = () => void;

interface Bus {
  listeners: Map<string, Set<Listener>>;
  /** Runs already scheduled for delivery: many publishes in one tick reach each listener once. */
  pending: Set<string>;
}

// Next bundles this module several times per process (route handlers, server actions,
// instrumentation); all of them must share one bus, so it lives on globalThis.
const HELD = Symbol.for('lakerunner.console.run-bus');
type Holder = typeof globalThis & { [HELD]?: Bus };

function bus(): Bus {
  const holder = globalThis as Holder;
  holder[HELD] ??= { listeners: new Map(), pending: new Set() };
  return holder[HELD];
}

function deliver(runId: string): void {
  const { listeners, pending } = bus();
  pending.delete(runId);
  for (const listener of [...(listeners.get(runId) ?? [])]) {
    try {
      listener();
    } catch (error) {
      console.error(`A run-event listener of run ${runId} failed:`, error);
    }
  }
}

/** Tells the run's subscribers that it has new events; delivery is batched to the next microtask. */
export function publish(runId: string): void {
  const { pending } = bus();
  if (pending.has(runId)) return;
  pending.add(runId);
  queueMicrotask(() => deliver(runId));
}

/** Calls listener after each batch of publishes for the run; returns the unsubscribe function. */
export function subscribe(runId: string, listener: Listener): () => void {
  const { listeners } = bus();
  let set = listeners.get(runId);
  if (!set) {
    set = new Set();
    listeners.set(runId, set);
  }
  const entry = () => listener();
  set.add(entry);
  return () => {
    const current = listeners.get(runId);
    if (!current?.delete(entry)) return;
    if (current.size === 0) listeners.delete(runId);
  };
}

/** How many listeners a run has (all runs when omitted): tests and the bench check for leaks. */
export function subscriberCount(runId?: string): number {
  const { listeners } = bus();
  if (runId !== undefined) return listeners.get(runId)?.size ?? 0;
  let total = 0;
  for (const set of listeners.values()) total += set.size;
  return total;
}
