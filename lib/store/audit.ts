// The audit log: who did what, when, from where. Append-only, pruned past CONSOLE_AUDIT_RETENTION_DAYS
// (lib/auth/housekeeping.ts); details never hold secrets (values
// under secret-sounding keys are replaced before they are written).
import 'server-only';
import { sql } from 'kysely';
import { dbNow, withDb } from './db';

/** Every audited action. Features append theirs here (dotted, lower case). */
export type AuditAction =
  | 'signin.success'
  | 'signin.failure'
  | 'signout'
  | 'user.created'
  | 'user.role-changed'
  | 'user.password-reset'
  | 'user.password-changed'
  | 'user.deleted'
  | 'user.sessions-revoked'
  | 'deployment.created'
  | 'deployment.attached'
  | 'deployment.access-changed'
  | 'deployment.run'
  | 'deployment.cancelled'
  | 'deployment.teardown'
  | 'deployment.password-revealed'
  | 'deployment.step-checked';

export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditInput {
  /** Username, or "system" for the console itself. */
  readonly actor: string;
  readonly action: AuditAction;
  /** What the action was done to: a username, a stack name, a plan id. */
  readonly target?: string;
  readonly details?: AuditDetails;
  /** The client address the request came from, when there was one. */
  readonly client?: string;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details: AuditDetails;
  readonly client: string | null;
}

const SECRET_KEY = /pass(word|phrase)?|secret|token|session|credential|cookie|authori[sz]ation|private|api.?key/i;

/** Replaces values under keys that name a secret, so a careless caller cannot log one. */
export function redactDetails(details: AuditDetails): AuditDetails {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => [key, SECRET_KEY.test(key) ? '[redacted]' : value]),
  );
}

export async function audit(entry: AuditInput, now: Date = new Date()): Promise<void> {
  const details = entry.details ? JSON.stringify(redactDetails(entry.details)) : null;
  await withDb((db) =>
    db
      .insertInto('audit_log')
      .values({ at: now.getTime(), actor: entry.actor, action: entry.action, target: entry.target ?? null, details, client: entry.client ?? null })
      .execute(),
  );
}

/** Deletes the entries older than `retentionMs` (by the database's clock); returns how many. */
export async function pruneAudit(retentionMs: number): Promise<number> {
  const result = await withDb((db) => db.deleteFrom('audit_log').where('at', '<', sql<number>`${dbNow()} - ${retentionMs}`).executeTakeFirst());
  return Number(result.numDeletedRows);
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly page: number;
  readonly pages: number;
  readonly total: number;
}

/** Newest first; page numbers start at 1 and are clamped to the pages that exist. */
export async function listAudit({ page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {}): Promise<AuditPage> {
  return withDb(async (db) => {
    const { total } = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.min(Math.max(1, Math.trunc(page)), pages);
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((current - 1) * pageSize)
      .execute();
    return {
      total,
      pages,
      page: current,
      entries: rows.map((row) => ({
        id: row.id,
        at: new Date(row.at),
        actor: row.actor,
        action: row.action,
        target: row.target,
        details: row.details ? (JSON.parse(row.details) as AuditDetails) : {},
        client: row.client,
      })),
    };
  });
}
