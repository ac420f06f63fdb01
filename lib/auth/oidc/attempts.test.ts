import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/store/db';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { ATTEMPT_TTL_MS, saveAttempt, takeAttempt } from './attempts';

setupTempStore();

const attempt = (n = 1) => ({ state: `state-${n}`, nonce: `nonce-${n}`, codeVerifier: `verifier-${n}`, next: '/plan' });

describe('sign-in attempts', () => {
  it('hands the attempt back once, to the browser holding its cookie', () => {
    const cookie = saveAttempt(attempt());
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(takeAttempt(cookie)).toEqual(attempt());
    expect(takeAttempt(cookie)).toBeUndefined();
  });

  it('keeps only a digest of the cookie in the store', () => {
    const cookie = saveAttempt(attempt());
    expect(JSON.stringify(getDb().prepare('SELECT * FROM oidc_attempts').all())).not.toContain(cookie);
  });

  it('refuses an expired attempt, and an unknown or malformed cookie', () => {
    const t0 = Date.now();
    const cookie = saveAttempt(attempt(), t0);
    expect(takeAttempt(cookie, t0 + ATTEMPT_TTL_MS)).toBeUndefined();
    expect(takeAttempt(saveAttempt(attempt(2), t0).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), t0)).toBeUndefined();
    for (const bad of [undefined, '', 'short', `${'a'.repeat(43)}'--`]) expect(takeAttempt(bad, t0)).toBeUndefined();
  });

  it('forgets expired attempts, and the oldest ones beyond its bound', () => {
    const t0 = Date.now();
    saveAttempt(attempt(1), t0 - ATTEMPT_TTL_MS - 1);
    const kept = [2, 3, 4].map((n) => saveAttempt(attempt(n), t0 + n, 3));
    const newest = saveAttempt(attempt(5), t0 + 5, 3);
    expect(getDb().prepare('SELECT state FROM oidc_attempts ORDER BY expires_at').pluck().all()).toEqual(['state-3', 'state-4', 'state-5']);
    expect(takeAttempt(kept[0], t0)).toBeUndefined();
    expect(takeAttempt(newest, t0)?.state).toBe('state-5');
  });
});
