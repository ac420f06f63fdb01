// Server-side sessions. The browser holds 32 random bytes in the lr_session cookie; the store
// holds only their SHA-256, so a copy of the store cannot be used to sign in. Their times are the
// database's clock, as leases' are: replicas whose clocks disagree still agree on what expired.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { dbNow, withDb } from '@/lib/store/db';
import { isStoreUnavailable } from '@/lib/store/errors';
import { toUser, type User } from './users';

export const SESSION_COOKIE = 'lr_session';
export const IDLE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
// Recording activity at most once a minute keeps page views from becoming writes.
const TOUCH_AFTER_MS = 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface Session {
  readonly user: User;
  readonly expiresAt: Date;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(userId: number, client: string | undefined): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const row = await withDb((db) =>
    db
      .insertInto('sessions')
      .values({
        token_hash: digest(token),
        user_id: userId,
        created_at: dbNow(),
        last_seen_at: dbNow(),
        expires_at: sql<number>`${dbNow()} + ${ABSOLUTE_TIMEOUT_MS}`,
        client: client ?? null,
      })
      .returning('expires_at')
      .executeTakeFirstOrThrow(),
  );
  return { token, expiresAt: new Date(row.expires_at) };
}

let touchWarned = false;

/** The session's user, or undefined when the token is unknown, idle too long or past its end (by the database's clock). */
export async function resolveSession(token: string | undefined): Promise<Session | undefined> {
  if (!token || !TOKEN_PATTERN.test(token)) return undefined;
  const hash = digest(token);
  const row = await withDb((db) =>
    db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.last_seen_at', 's.expires_at', dbNow().as('now')])
      .where('s.token_hash', '=', hash)
      .executeTakeFirst(),
  );
  if (!row) return undefined;
  const now = Number(row.now);
  if (row.expires_at <= now || row.last_seen_at + IDLE_TIMEOUT_MS <= now) {
    await withDb((db) => db.deleteFrom('sessions').where('token_hash', '=', hash).execute());
    return undefined;
  }
  if (now - row.last_seen_at >= TOUCH_AFTER_MS) {
    try {
      await withDb((db) => db.updateTable('sessions').set({ last_seen_at: dbNow() }).where('token_hash', '=', hash).execute());
    } catch (error) {
      // A read-only store still lets people look; the write paths report the fault.
      if (!isStoreUnavailable(error)) throw error;
      if (!touchWarned) console.warn(`Session activity not recorded: ${error.message}`);
      touchWarned = true;
    }
  }
  return { user: toUser(row), expiresAt: new Date(Math.min(row.expires_at, Math.max(now, row.last_seen_at) + IDLE_TIMEOUT_MS)) };
}

export async function revokeSession(token: string | undefined): Promise<void> {
  if (!token || !TOKEN_PATTERN.test(token)) return;
  await withDb((db) => db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute());
}

/** Ends every session of the user, except the caller's own when `keep` is its token. Returns how many. */
export async function revokeUserSessions(userId: number, keep?: string): Promise<number> {
  const keepHash = keep && TOKEN_PATTERN.test(keep) ? digest(keep) : '';
  const result = await withDb((db) => db.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', keepHash).executeTakeFirst());
  return Number(result.numDeletedRows);
}

export async function pruneSessions(): Promise<number> {
  const result = await withDb((db) =>
    db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', dbNow()), eb('last_seen_at', '<=', sql<number>`${dbNow()} - ${IDLE_TIMEOUT_MS}`)]))
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

export interface CookieOptions {
  readonly httpOnly: true;
  readonly sameSite: 'lax';
  readonly path: '/';
  readonly secure: boolean;
  readonly expires: Date;
}

export function sessionCookieOptions(expires: Date, secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure, expires };
}
