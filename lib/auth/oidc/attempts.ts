// Sign-ins in progress: the state, nonce and PKCE verifier of each, kept in the store under the
// SHA-256 of a random value the browser holds in the lr_oidc cookie. Each is usable once, for ten
// minutes, and only by the browser that started it.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { inTransaction, withDb } from '@/lib/store/db';

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
export async function saveAttempt(attempt: Attempt, now = Date.now(), limit = MAX_PENDING): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await inTransaction(
    async (db) => {
      await db.deleteFrom('oidc_attempts').where('expires_at', '<=', now).execute();
      const cutoff = await db.selectFrom('oidc_attempts').select('expires_at').orderBy('expires_at', 'desc').limit(1).offset(limit - 1).executeTakeFirst();
      if (cutoff) await db.deleteFrom('oidc_attempts').where('expires_at', '<=', cutoff.expires_at).execute();
      await db
        .insertInto('oidc_attempts')
        .values({
          id_hash: digest(value),
          state: attempt.state,
          nonce: attempt.nonce,
          code_verifier: attempt.codeVerifier,
          next_path: attempt.next,
          expires_at: now + ATTEMPT_TTL_MS,
        })
        .execute();
    },
    { exclusive: true },
  );
  return value;
}

/** The attempt behind the cookie, removed so it cannot be used twice; undefined when unknown or expired. */
export async function takeAttempt(value: string | undefined, now = Date.now()): Promise<Attempt | undefined> {
  if (!value || !VALUE_PATTERN.test(value)) return undefined;
  const row = await withDb((db) =>
    db
      .deleteFrom('oidc_attempts')
      .where('id_hash', '=', digest(value))
      .returning(['state', 'nonce', 'code_verifier', 'next_path', 'expires_at'])
      .executeTakeFirst(),
  );
  if (!row || row.expires_at <= now) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, next: row.next_path };
}
