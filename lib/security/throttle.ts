// Per-client request budgets kept in this process's memory (token buckets): a flood is turned
// away before it costs a database query. Each replica counts on its own, so N replicas allow N
// times the budget; that bounds the load per replica, which is what the budgets protect.
import 'server-only';

export interface ThrottleOptions {
  /** Requests allowed at once (the bucket's size). */
  readonly burst: number;
  /** Requests allowed per minute once the burst is spent. */
  readonly perMinute: number;
  /** How many clients are remembered at most; beyond it the idlest give way. */
  readonly maxClients?: number;
}

export type ThrottleVerdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export interface Throttle {
  /** Spends one request of `client`'s budget, or says how long until it has one again. */
  take(client: string, now?: number): ThrottleVerdict;
  /** How many clients it currently remembers (tests). */
  size(): number;
}

const DEFAULT_MAX_CLIENTS = 10_000;

export function createThrottle({ burst, perMinute, maxClients = DEFAULT_MAX_CLIENTS }: ThrottleOptions): Throttle {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  const refill = (bucket: Bucket, now: number) => {
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
  };
  const makeRoom = (now: number) => {
    // Full buckets carry nothing worth remembering; then the idlest go (Map keeps insertion order,
    // and every take re-inserts its client, so the first entries are the least recent).
    for (const [client, bucket] of buckets) {
      refill(bucket, now);
      if (bucket.tokens >= burst) buckets.delete(client);
    }
    for (const client of buckets.keys()) {
      if (buckets.size < maxClients) break;
      buckets.delete(client);
    }
  };
  return {
    take(client, now = Date.now()) {
      let bucket = buckets.get(client);
      if (bucket) {
        buckets.delete(client);
        refill(bucket, now);
      } else {
        if (buckets.size >= maxClients) makeRoom(now);
        bucket = { tokens: burst, at: now };
      }
      buckets.set(client, bucket);
      // (A hair under 1 still counts: refills add up in floating point.)
      if (bucket.tokens >= 1 - 1e-9) {
        bucket.tokens = Math.max(0, bucket.tokens - 1);
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
    size: () => buckets.size,
  };
}

// Next bundles modules several times per process: every copy shares one set of throttles.
const HELD = Symbol.for('lakerunner.console.throttles');
type Holder = typeof globalThis & { [HELD]?: Map<string, Throttle> };

/** The process's throttle called `name`, made with `options` the first time. */
export function throttle(name: string, options: ThrottleOptions): Throttle {
  const holder = globalThis as Holder;
  holder[HELD] ??= new Map();
  let held = holder[HELD].get(name);
  if (!held) holder[HELD].set(name, (held = createThrottle(options)));
  return held;
}

/** Forgets every throttle's clients (tests). */
export function resetThrottlesForTests(): void {
  (globalThis as Holder)[HELD]?.clear();
}
