// Sign-ins in progress: the state, nonce and PKCE verifier of each, kept in the store under the
// SHA-256 of a random value the browser holds in the lr_oidc cookie. Each is usable once, for ten
// minutes by the database's clock, and only by the browser that started it. Anyone can start one,
// so saving one is a plain insert (no lock shared with anything else), expired ones are pruned
// apart (lib/auth/housekeeping.ts), and the table is bounded: once it is full new sign-ins are
// turned away for a while, and the ones already in progress are never pushed out.
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { dbNow, withDb } from '@/lib/store/db';
import { OidcError } from './failures';

export const ATTEMPT_COOKIE = 'lr_oidc';
export const ATTEMPT_TTL_MS = 10 * 60 * 1000;
/** Sign-ins in progress at most (every replica together); the per-client budget keeps one address from filling it. */
export const MAX_PENDING = 10_000;
const VALUE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface Attempt {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Where to go once signed in (already checked by safeNextPath). */
  readonly next: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** Whether `limit` sign-ins are already in progress (a walk of the expiry index, not a count). */
async function full(limit: number): Promise<boolean> {
  const row = await withDb((db) =>
    db.selectFrom('oidc_attempts').select('expires_at').where('expires_at', '>', dbNow()).orderBy('expires_at').offset(limit - 1).limit(1).executeTakeFirst(),
  );
  return row !== undefined;
}

/** Records the attempt; returns the value for the browser's cookie. Throws OidcError('busy') when too many are in progress. */
export async function saveAttempt(attempt: Attempt, limit = MAX_PENDING): Promise<string> {
  if (await full(limit)) throw new OidcError('busy', `${limit} sign-ins are in progress already; new ones wait until some finish or expire`);
  const value = randomBytes(32).toString('base64url');
  await withDb((db) =>
    db
      .insertInto('oidc_attempts')
      .values({
        id_hash: digest(value),
        state: attempt.state,
        nonce: attempt.nonce,
        code_verifier: attempt.codeVerifier,
        next_path: attempt.next,
        expires_at: sql<number>`${dbNow()} + ${ATTEMPT_TTL_MS}`,
      })
      .execute(),
  );
  return value;
}

/** The attempt behind the cookie, removed so it cannot be used twice; undefined when unknown or expired. */
export async function takeAttempt(value: string | undefined): Promise<Attempt | undefined> {
  if (!value || !VALUE_PATTERN.test(value)) return undefined;
  const row = await withDb((db) =>
    db
      .deleteFrom('oidc_attempts')
      .where('id_hash', '=', digest(value))
      .returning(['state', 'nonce', 'code_verifier', 'next_path', sql<number>`expires_at - ${dbNow()}`.as('remaining')])
      .executeTakeFirst(),
  );
  if (!row || Number(row.remaining) <= 0) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, next: row.next_path };
}

/** Deletes the expired attempts; returns how many. */
export async function pruneAttempts(): Promise<number> {
  const result = await withDb((db) => db.deleteFrom('oidc_attempts').where('expires_at', '<=', dbNow()).executeTakeFirst());
  return Number(result.numDeletedRows);
}
