// The request budgets the console enforces per client (per replica; see lib/security/throttle.ts),
// in one place so the README's list and the code cannot drift apart. Anonymous routes are budgeted
// by the client's address (behind a trusted proxy, the address it reports), signed-in ones by user.
import 'server-only';
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
