import { afterEach, describe, expect, it, vi } from 'vitest';
import { column, rows, value } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { isOidcError } from './failures';
import { ATTEMPT_TTL_MS, pruneAttempts, saveAttempt, takeAttempt } from './attempts';

const attempt = (n = 1) => ({ state: `state-${n}`, nonce: `nonce-${n}`, codeVerifier: `verifier-${n}`, next: '/plan' });

/** Moves the attempts `ms` into the past, as the database's clock sees them. */
const age = (ms: number, state?: string) => rows(`UPDATE oidc_attempts SET expires_at = expires_at - ${ms}${state ? ` WHERE state = '${state}'` : ''}`);

describe.each(BACKENDS)('sign-in attempts (%s)', (backend) => {
  setupTempStore(backend);
  afterEach(() => vi.useRealTimers());

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
    const cookie = await saveAttempt(attempt());
    await age(ATTEMPT_TTL_MS);
    expect(await takeAttempt(cookie)).toBeUndefined();
    expect(await takeAttempt((await saveAttempt(attempt(2))).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toBeUndefined();
    for (const bad of [undefined, '', 'short', `${'a'.repeat(43)}'--`]) expect(await takeAttempt(bad)).toBeUndefined();
  });

  it("expires by the database's clock, whatever this process's clock says", async () => {
    const fresh = await saveAttempt(attempt(1));
    const old = await saveAttempt(attempt(2));
    await age(ATTEMPT_TTL_MS + 1000, 'state-2');
    // this replica's clock is an hour behind, then a day ahead: neither decides anything
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 60 * 60_000 });
    expect(await takeAttempt(old)).toBeUndefined();
    vi.setSystemTime(Date.now() + 25 * 60 * 60_000);
    expect((await takeAttempt(fresh))?.state).toBe('state-1');
  });

  it('saving one is a plain insert: expired attempts stay until pruned apart', async () => {
    await saveAttempt(attempt(1));
    await age(ATTEMPT_TTL_MS + 1);
    const live = await saveAttempt(attempt(2));
    expect(await column('SELECT state FROM oidc_attempts ORDER BY state')).toEqual(['state-1', 'state-2']);
    expect(await pruneAttempts()).toBe(1);
    expect(await column('SELECT state FROM oidc_attempts')).toEqual(['state-2']);
    expect((await takeAttempt(live))?.state).toBe('state-2');
  });

  it('at its bound it turns new sign-ins away and never pushes out those in progress', async () => {
    const kept = [];
    for (const n of [1, 2, 3]) kept.push(await saveAttempt(attempt(n), 3));
    const refused = await saveAttempt(attempt(4), 3).catch((error: unknown) => error);
    expect(isOidcError(refused) && refused.code).toBe('busy');
    expect(await value('SELECT count(*) FROM oidc_attempts')).toBe(3);
    for (const [i, cookie] of kept.entries()) expect((await takeAttempt(cookie))?.state).toBe(`state-${i + 1}`);
    // expired ones do not count towards the bound
    for (const n of [5, 6, 7]) await saveAttempt(attempt(n), 3);
    await age(ATTEMPT_TTL_MS + 1);
    expect((await takeAttempt(await saveAttempt(attempt(8), 3)))?.state).toBe('state-8');
  });
});
