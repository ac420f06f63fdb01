import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { column, rows, value } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import {
  ABSOLUTE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  createSession,
  pruneSessions,
  resolveSession,
  revokeSession,
  revokeUserSessions,
  sessionCookieOptions,
} from './sessions';
import { createUser, deleteUser, listUsers } from './users';

const HOUR = 60 * 60_000;

async function user(name = 'dana') {
  return createUser({ username: name, role: 'deployer', password: `${name} password!` });
}

/** Moves sessions `ms` into the past, as the database's clock sees them (all of them, or those of one token's hash). */
const age = (ms: number, columns: readonly ('created_at' | 'last_seen_at' | 'expires_at')[] = ['created_at', 'last_seen_at', 'expires_at']) =>
  rows(`UPDATE sessions SET ${columns.map((c) => `${c} = ${c} - ${ms}`).join(', ')}`);

describe.each(BACKENDS)('sessions (%s)', (backend) => {
  setupTempStore(backend);
  afterEach(() => vi.useRealTimers());

  it('are 32 random bytes; only their SHA-256 is stored', async () => {
    const { id } = await user();
    const before = Date.now();
    const { token, expiresAt } = await createSession(id, '10.0.0.1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + ABSOLUTE_TIMEOUT_MS - 5000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + ABSOLUTE_TIMEOUT_MS + 5000);
    const stored = await column('SELECT token_hash FROM sessions');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await rows('SELECT * FROM sessions'))).not.toContain(token);
  });

  it('resolve to their user until idle for 12 hours', async () => {
    const { id } = await user();
    const { token } = await createSession(id, undefined);
    expect((await resolveSession(token))?.user.username).toBe('dana');
    await age(IDLE_TIMEOUT_MS - HOUR);
    expect((await resolveSession(token))?.user.id).toBe(id);
    // That use counted as activity, so the idle clock restarted from there.
    await age(IDLE_TIMEOUT_MS - HOUR, ['created_at', 'expires_at']);
    await age(IDLE_TIMEOUT_MS - HOUR, ['last_seen_at']);
    expect((await resolveSession(token))?.user.id).toBe(id);
    await age(IDLE_TIMEOUT_MS);
    expect(await resolveSession(token)).toBeUndefined();
    // Expired sessions are deleted, not just ignored.
    expect(await value('SELECT count(*) FROM sessions')).toBe(0);
  });

  it('end after 7 days however active', async () => {
    const { id } = await user();
    const { token } = await createSession(id, undefined);
    await age(ABSOLUTE_TIMEOUT_MS - HOUR, ['created_at', 'expires_at']);
    expect(await resolveSession(token)).toBeDefined();
    await age(HOUR, ['created_at', 'expires_at']);
    expect(await resolveSession(token)).toBeUndefined();
  });

  it("expire by the database's clock, whatever this replica's clock says", async () => {
    const { id } = await user();
    const fresh = (await createSession(id, undefined)).token;
    const idle = (await createSession(id, undefined)).token;
    await rows(`UPDATE sessions SET last_seen_at = last_seen_at - ${IDLE_TIMEOUT_MS + 1000} WHERE token_hash = '${createHash('sha256').update(idle).digest('hex')}'`);
    // this replica's clock runs eight days ahead: the fresh session lives on, the idle one ends
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 8 * 24 * HOUR });
    expect((await resolveSession(fresh))?.user.id).toBe(id);
    expect((await listUsers())[0]?.activeSessions).toBe(2);
    vi.setSystemTime(Date.now() - 9 * 24 * HOUR);
    // and a day behind: the idle one is over all the same
    expect(await resolveSession(idle)).toBeUndefined();
    expect((await resolveSession(fresh))?.user.id).toBe(id);
  });

  it.each([undefined, '', 'short', 'x'.repeat(43).replace('x', '!'), 'A'.repeat(43)])('unknown or malformed token %j resolves to nobody', async (token) => {
    expect(await resolveSession(token)).toBeUndefined();
  });

  it('sign-out revokes one session; revoking a user keeps only the one asked for', async () => {
    const { id } = await user();
    const other = await user('erin');
    const a = (await createSession(id, undefined)).token;
    const b = (await createSession(id, undefined)).token;
    const c = (await createSession(id, undefined)).token;
    const theirs = (await createSession(other.id, undefined)).token;
    await revokeSession(a);
    expect(await resolveSession(a)).toBeUndefined();
    expect(await revokeUserSessions(id, c)).toBe(1);
    expect(await resolveSession(b)).toBeUndefined();
    expect((await resolveSession(c))?.user.id).toBe(id);
    expect(await revokeUserSessions(id)).toBe(1);
    expect(await resolveSession(c)).toBeUndefined();
    expect((await resolveSession(theirs))?.user.username).toBe('erin');
  });

  it('disappear with their user', async () => {
    const { id } = await user();
    await createUser({ username: 'keeper', role: 'admin', password: 'keeper password' });
    const { token } = await createSession(id, undefined);
    await deleteUser(id);
    expect(await resolveSession(token)).toBeUndefined();
  });

  it('pruning removes only expired sessions', async () => {
    const { id } = await user();
    await createSession(id, undefined);
    await age(IDLE_TIMEOUT_MS + 1);
    const fresh = (await createSession(id, undefined)).token;
    expect(await pruneSessions()).toBe(1);
    expect(await resolveSession(fresh)).toBeDefined();
  });

  it('the cookie is httpOnly, SameSite=Lax, site-wide, Secure when asked', async () => {
    const expires = new Date(Date.UTC(2026, 10, 1, 9, 0, 0));
    expect(sessionCookieOptions(expires, true)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: true, expires });
    expect(sessionCookieOptions(expires, false).secure).toBe(false);
  });
});
