import { describe, expect, it } from 'vitest';
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
import { createUser, deleteUser } from './users';


const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);

async function user(name = 'dana') {
  return createUser({ username: name, role: 'deployer', password: `${name} password!` });
}

describe.each(BACKENDS)('sessions (%s)', (backend) => {
  setupTempStore(backend);

  it('are 32 random bytes; only their SHA-256 is stored', async () => {
    const { id } = await user();
    const { token, expiresAt } = await createSession(id, '10.0.0.1', T0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(expiresAt.getTime()).toBe(T0 + ABSOLUTE_TIMEOUT_MS);
    const stored = await column('SELECT token_hash FROM sessions');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await rows('SELECT * FROM sessions'))).not.toContain(token);
  });

  it('resolve to their user until idle for 12 hours', async () => {
    const { id } = await user();
    const { token } = await createSession(id, undefined, T0);
    expect((await resolveSession(token, T0 + 1000))?.user.username).toBe('dana');
    expect((await resolveSession(token, T0 + IDLE_TIMEOUT_MS - 1))?.user.id).toBe(id);
    // That use counted as activity, so the idle clock restarted from there.
    expect((await resolveSession(token, T0 + 2 * IDLE_TIMEOUT_MS - 2))?.user.id).toBe(id);
    expect(await resolveSession(token, T0 + 3 * IDLE_TIMEOUT_MS)).toBeUndefined();
    // Expired sessions are deleted, not just ignored.
    expect(await value('SELECT count(*) FROM sessions')).toBe(0);
  });

  it('end after 7 days however active', async () => {
    const { id } = await user();
    const { token } = await createSession(id, undefined, T0);
    for (let t = T0; t < T0 + ABSOLUTE_TIMEOUT_MS; t += IDLE_TIMEOUT_MS / 2) expect(await resolveSession(token, t)).toBeDefined();
    expect(await resolveSession(token, T0 + ABSOLUTE_TIMEOUT_MS)).toBeUndefined();
  });

  it.each([undefined, '', 'short', 'x'.repeat(43).replace('x', '!'), 'A'.repeat(43)])('unknown or malformed token %j resolves to nobody', async (token) => {
    expect(await resolveSession(token, T0)).toBeUndefined();
  });

  it('sign-out revokes one session; revoking a user keeps only the one asked for', async () => {
    const { id } = await user();
    const other = await user('erin');
    const a = (await createSession(id, undefined, T0)).token;
    const b = (await createSession(id, undefined, T0)).token;
    const c = (await createSession(id, undefined, T0)).token;
    const theirs = (await createSession(other.id, undefined, T0)).token;
    await revokeSession(a);
    expect(await resolveSession(a, T0)).toBeUndefined();
    expect(await revokeUserSessions(id, c)).toBe(1);
    expect(await resolveSession(b, T0)).toBeUndefined();
    expect((await resolveSession(c, T0))?.user.id).toBe(id);
    expect(await revokeUserSessions(id)).toBe(1);
    expect(await resolveSession(c, T0)).toBeUndefined();
    expect((await resolveSession(theirs, T0))?.user.username).toBe('erin');
  });

  it('disappear with their user', async () => {
    const { id } = await user();
    await createUser({ username: 'keeper', role: 'admin', password: 'keeper password' });
    const { token } = await createSession(id, undefined, T0);
    await deleteUser(id);
    expect(await resolveSession(token, T0)).toBeUndefined();
  });

  it('pruning removes only expired sessions', async () => {
    const { id } = await user();
    await createSession(id, undefined, T0);
    const fresh = (await createSession(id, undefined, T0 + IDLE_TIMEOUT_MS)).token;
    expect(await pruneSessions(T0 + IDLE_TIMEOUT_MS + 1)).toBe(1);
    expect(await resolveSession(fresh, T0 + IDLE_TIMEOUT_MS + 2)).toBeDefined();
  });

  it('the cookie is httpOnly, SameSite=Lax, site-wide, Secure when asked', async () => {
    const expires = new Date(T0);
    expect(sessionCookieOptions(expires, true)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: true, expires });
    expect(sessionCookieOptions(expires, false).secure).toBe(false);
  });
});
