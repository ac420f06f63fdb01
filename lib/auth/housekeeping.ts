// Pruning apart from the requests that fill the tables: expired sign-in attempts and sessions, and
// audit entries past CONSOLE_AUDIT_RETENTION_DAYS, every few minutes in every replica (the deletes
// are idempotent, so replicas doing it at once only repeat each other).
import 'server-only';
import { env } from '@/lib/env';
import { pruneAudit } from '@/lib/store/audit';
import { isStoreUnavailable } from '@/lib/store/errors';
import { pruneAttempts } from './oidc/attempts';
import { pruneSessions } from './sessions';

const EVERY_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface Pruned {
  readonly attempts: number;
  readonly sessions: number;
  readonly audit: number;
}

export async function keepHouse(): Promise<Pruned> {
  const retentionDays = env().CONSOLE_AUDIT_RETENTION_DAYS;
  return {
    attempts: await pruneAttempts(),
    sessions: await pruneSessions(),
    audit: retentionDays > 0 ? await pruneAudit(retentionDays * DAY_MS) : 0,
  };
}

const HELD = Symbol.for('lakerunner.console.housekeeping');
type Holder = typeof globalThis & { [HELD]?: NodeJS.Timeout };

/** Once per process, from instrumentation.ts: prune now, then every five minutes. */
export function scheduleHousekeeping(): void {
  const holder = globalThis as Holder;
  if (holder[HELD]) return;
  const tick = () =>
    void keepHouse().catch((error: unknown) => {
      if (isStoreUnavailable(error)) return console.warn(`Pruning expired sign-ins and old audit entries waits for the store: ${error.message}`);
      console.error('Pruning expired sign-ins and old audit entries failed:', error);
    });
  tick();
  holder[HELD] = setInterval(tick, EVERY_MS);
  holder[HELD].unref();
}
