// Work that must outlast a store outage (a run this process drives) runs inside waitOutOutages():
// every store call it makes then waits for the store to come back instead of failing, until the
// work's signal aborts (its lease was lost, or the process stops). Requests never wait: they get
// the 503 at once.
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

interface Patience {
  readonly signal: AbortSignal;
}

// One storage for every copy of this module Next bundles into the process.
const HELD = Symbol.for('lakerunner.console.store-patience');
type Holder = typeof globalThis & { [HELD]?: AsyncLocalStorage<Patience> };

function storage(): AsyncLocalStorage<Patience> {
  const holder = globalThis as Holder;
  holder[HELD] ??= new AsyncLocalStorage<Patience>();
  return holder[HELD];
}

export function waitOutOutages<T>(signal: AbortSignal, work: () => T): T {
  return storage().run({ signal }, work);
}

/** The signal of the work this call belongs to, when it waits out outages. */
export function outagePatience(): AbortSignal | undefined {
  return storage().getStore()?.signal;
}
