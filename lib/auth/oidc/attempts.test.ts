import { describe, expect, it } from 'vitest';
import { column, rows } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { ATTEMPT_TTL_MS, saveAttempt, takeAttempt } from './attempts';


const attempt = (n = 1) => ({ state: `state-${n}`, nonce: `nonce-${n}`, codeVerifier: `verifier-${n}`, next: '/plan' });

describe.each(BACKENDS)('sign-in attempts (%s)', (backend) => {
  setupTempStore(backend);

  it('hands the attempt back once, to the browser holding its cookie', async () => {
    const cookie = await saveAttempt(attempt());
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await takeAttempt(cookie)).toEqual(attempt());
    expect(await takeAttempt(cookie)).toBeUndefined();
  });

  it('keeps only a digest of the cookie in the store', async () => {
    const cookie = await saveAttempt(attempt());
    expect(JSON.stringify(await rows('SELECT * FROM oidc_attempts'))).not.toContain(cookie);
  });

  it('refuses an expired attempt, and an unknown or malformed cookie', async () => {
    const t0 = Date.now();
    const cookie = await saveAttempt(attempt(), t0);
    expect(await takeAttempt(cookie, t0 + ATTEMPT_TTL_MS)).toBeUndefined();
    expect(await takeAttempt((await saveAttempt(attempt(2), t0)).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), t0)).toBeUndefined();
    for (const bad of [undefined, '', 'short', `${'a'.repeat(43)}'--`]) expect(await takeAttempt(bad, t0)).toBeUndefined();
  });

  it('forgets expired attempts, and the oldest ones beyond its bound', async () => {
    const t0 = Date.now();
    await saveAttempt(attempt(1), t0 - ATTEMPT_TTL_MS - 1);
    const kept = [];
    for (const n of [2, 3, 4]) kept.push(await saveAttempt(attempt(n), t0 + n, 3));
    const newest = await saveAttempt(attempt(5), t0 + 5, 3);
    expect(await column('SELECT state FROM oidc_attempts ORDER BY expires_at')).toEqual(['state-3', 'state-4', 'state-5']);
    expect(await takeAttempt(kept[0], t0)).toBeUndefined();
    expect((await takeAttempt(newest, t0))?.state).toBe('state-5');
  });
});
