// Sign-ins in progress: the state, nonce and PKCE verifier of each, kept in the store under the
// SHA-256 of a random value the browser holds in the lr_oidc cookie. Each is usable once, for ten
// minutes, and only by the browser that started it.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { withDb } from '@/lib/store/db';

export const ATTEMPT_COOKIE = 'lr_oidc';
export const ATTEMPT_TTL_MS = 10 * 60 * 1000;
// Anyone can start a sign-in, so the table is bounded: beyond this the oldest attempts give way.
const MAX_PENDING = 10_000;
const VALUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface Attempt {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where to go once signed in (already checked by safeNextPath). */
  readonly next: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** Records the attempt; returns the value for the browser's cookie. */
export function saveAttempt(attempt: Attempt, now = Date.now(), limit = MAX_PENDING): string {
  const value = randomBytes(32).toString('base64url');
  withDb((db) =>
    db.transaction(() => {
      db.prepare('DELETE FROM oidc_attempts WHERE expires_at <= ?').run(now);
      db.prepare(
        'DELETE FROM oidc_attempts WHERE expires_at <= (SELECT expires_at FROM oidc_attempts ORDER BY expires_at DESC LIMIT 1 OFFSET ?)',
      ).run(limit - 1);
      db.prepare('INSERT INTO oidc_attempts (id_hash, state, nonce, code_verifier, next_path, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        digest(value),
        attempt.state,
        attempt.nonce,
        attempt.codeVerifier,
        attempt.next,
        now + ATTEMPT_TTL_MS,
      );
    }).immediate(),
  );
  return value;
}

/** The attempt behind the cookie, removed so it cannot be used twice; undefined when unknown or expired. */
export function takeAttempt(value: string | undefined, now = Date.now()): Attempt | undefined {
  if (!value || !VALUE_PATTERN.test(value)) return undefined;
  const row = withDb((db) =>
    db
      .prepare<[string], { state: string; nonce: string; code_verifier: string; next_path: string; expires_at: number }>(
        'DELETE FROM oidc_attempts WHERE id_hash = ? RETURNING state, nonce, code_verifier, next_path, expires_at',
      )
      .get(digest(value)),
  );
  if (!row || row.expires_at <= now) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, next: row.next_path };
}
