// Server-side sessions. The browser holds 32 random bytes in the lr_session cookie; the store
// holds only their SHA-256, so a copy of the store cannot be used to sign in.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { withDb } from '@/lib/store/db';
import { isStoreUnavailable } from '@/lib/store/errors';
import { toUser, type User, type UserRow } from './users';

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

export function createSession(userId: number, client: string | undefined, now = Date.now()): { token: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + ABSOLUTE_TIMEOUT_MS;
  withDb((db) =>
    db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client) VALUES (?, ?, ?, ?, ?, ?)')
      .run(digest(token), userId, now, now, expiresAt, client ?? null),
  );
  return { token, expiresAt: new Date(expiresAt) };
}

let touchWarned = false;

/** The session's user, or undefined when the token is unknown, idle too long or past its end. */
export function resolveSession(token: string | undefined, now = Date.now()): Session | undefined {
  if (!token || !TOKEN_PATTERN.test(token)) return undefined;
  const hash = digest(token);
  const row = withDb((db) =>
    db
      .prepare<[string], UserRow & { last_seen_at: number; expires_at: number }>(
        `SELECT u.*, s.last_seen_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
      )
      .get(hash),
  );
  if (!row) return undefined;
  if (row.expires_at <= now || row.last_seen_at + IDLE_TIMEOUT_MS <= now) {
    withDb((db) => db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hash));
    return undefined;
  }
  if (now - row.last_seen_at >= TOUCH_AFTER_MS) {
    try {
      withDb((db) => db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(now, hash));
    } catch (error) {
      // A read-only store still lets people look; the write paths report the fault.
      if (!isStoreUnavailable(error)) throw error;
      if (!touchWarned) console.warn(`Session activity not recorded: ${error.message}`);
      touchWarned = true;
    }
  }
  return { user: toUser(row), expiresAt: new Date(Math.min(row.expires_at, Math.max(now, row.last_seen_at) + IDLE_TIMEOUT_MS)) };
}

export function revokeSession(token: string | undefined): void {
  if (!token || !TOKEN_PATTERN.test(token)) return;
  withDb((db) => db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(digest(token)));
}

/** Ends every session of the user, except the caller's own when `keep` is its token. Returns how many. */
export function revokeUserSessions(userId: number, keep?: string): number {
  const keepHash = keep && TOKEN_PATTERN.test(keep) ? digest(keep) : '';
  return withDb((db) => db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?').run(userId, keepHash).changes);
}

export function pruneSessions(now = Date.now()): number {
  return withDb(
    (db) => db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, now - IDLE_TIMEOUT_MS).changes,
  );
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
