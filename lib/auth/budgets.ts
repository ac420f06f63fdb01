// The request budgets the console enforces per client (per replica; see lib/security/throttle.ts),
// in one place so the README's list and the code cannot drift apart. Anonymous routes are budgeted
// by the client's address (behind a trusted proxy, the address it reports), signed-in ones by user.
import 'server-only';
import { createHash } from 'node:crypto';
import { throttle, type ThrottleOptions, type ThrottleVerdict } from '@/lib/security/throttle';

export const BUDGETS = {
  /** GET /auth/oidc/start, per address: each one saves a sign-in attempt. */
  'oidc-start': { burst: 10, perMinute: 20 },
  /** GET /auth/oidc/callback, per address: each one can reach the provider and the audit log. */
  'oidc-callback': { burst: 10, perMinute: 20 },
  /** POST /api/plan/estimate, per user: each one renders every template of the plan. */
  estimate: { burst: 20, perMinute: 120 },
} as const satisfies Record<string, ThrottleOptions>;

export type BudgetName = keyof typeof BUDGETS;

/** Spends one request of `who`'s budget `name`. */
export function spend(name: BudgetName, who: string): ThrottleVerdict {
  return throttle(name, BUDGETS[name]).take(who);
}

/** Live event streams one session may keep open on a replica at once (a browser keeps one per run page). */
export const STREAMS_PER_SESSION = 5;

const STREAMS = Symbol.for('lakerunner.console.open-streams');
type StreamHolder = typeof globalThis & { [STREAMS]?: Map<string, number> };

/** Whose streams count together: the session (by a digest of its token), else the user (trusted proxy). */
export const streamOwner = (sessionToken: string | undefined, userId: number) =>
  sessionToken ? `session:${createHash('sha256').update(sessionToken).digest('hex')}` : `user:${userId}`;

/**
 * Counts one more open stream for `owner`; the function that gives it back, or undefined when the
 * owner already has STREAMS_PER_SESSION open.
 */
export function openStream(owner: string): (() => void) | undefined {
  const holder = globalThis as StreamHolder;
  const open = (holder[STREAMS] ??= new Map());
  const count = open.get(owner) ?? 0;
  if (count >= STREAMS_PER_SESSION) return undefined;
  open.set(owner, count + 1);
  let given = false;
  return () => {
    if (given) return;
    given = true;
    const left = (open.get(owner) ?? 1) - 1;
    if (left > 0) open.set(owner, left);
    else open.delete(owner);
  };
}
