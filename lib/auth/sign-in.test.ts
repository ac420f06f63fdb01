import { describe, expect, it } from 'vitest';
import { listAudit } from '@/lib/store/audit';
import { rows, value } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { CLIENT_LIMIT, USER_LIMIT, WINDOW_MS } from './rate-limit';
import { resolveSession } from './sessions';
import { signIn } from './sign-in';
import { createUser } from './users';


const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const PASSWORD = 'frank has a long password';

async function frank() {
  return createUser({ username: 'frank', role: 'viewer', password: PASSWORD });
}

describe.each(BACKENDS)('signIn (%s)', (backend) => {
  setupTempStore(backend);

  it('signs in with the right password: a session, last sign-in time, an audit entry', async () => {
    await frank();
    const result = await signIn({ username: ' frank ', password: PASSWORD, client: '10.1.1.1' }, T0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((await resolveSession(result.token))?.user.username).toBe('frank');
    expect(await value('SELECT last_sign_in_at FROM users')).toBe(T0);
    expect((await listAudit()).entries[0]).toMatchObject({ actor: 'frank', action: 'signin.success', target: 'frank', client: '10.1.1.1' });
  });

  it('each sign-in gets a new session', async () => {
    await frank();
    const a = await signIn({ username: 'frank', password: PASSWORD, client: 'c' }, T0);
    const b = await signIn({ username: 'frank', password: PASSWORD, client: 'c' }, T0);
    expect(a.ok && b.ok && a.token !== b.token).toBe(true);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    await frank();
    const unknown = await signIn({ username: 'nobody', password: PASSWORD, client: 'c' }, T0);
    const wrong = await signIn({ username: 'frank', password: 'not the password', client: 'c' }, T0);
    expect(unknown).toEqual({ ok: false, locked: false });
    expect(wrong).toEqual(unknown);
  });

  it('audits failures without recording what was typed as an unknown username', async () => {
    await frank();
    await signIn({ username: 'my-secret-passphrase', password: 'x', client: 'c' }, T0);
    await signIn({ username: 'frank', password: 'x', client: 'c' }, T0);
    const [wrong, unknown] = (await listAudit()).entries;
    expect(wrong).toMatchObject({ action: 'signin.failure', target: 'frank', details: { reason: 'wrong-password' } });
    expect(unknown).toMatchObject({ action: 'signin.failure', target: null, details: { reason: 'unknown-user' } });
    expect(JSON.stringify(await listAudit())).not.toContain('my-secret-passphrase');
  });

  it(`locks a username after ${USER_LIMIT} failures, even for the right password, until the window passes`, async () => {
    await frank();
    for (let i = 0; i < USER_LIMIT; i += 1) {
      expect(await signIn({ username: 'frank', password: `wrong ${i}`, client: `10.0.0.${i}` }, T0 + i)).toEqual({ ok: false, locked: false });
    }
    expect(await signIn({ username: 'FRANK', password: PASSWORD, client: '10.9.9.9' }, T0 + 10)).toEqual({ ok: false, locked: true });
    expect((await signIn({ username: 'frank', password: PASSWORD, client: '10.9.9.9' }, T0 + WINDOW_MS + 10)).ok).toBe(true);
  });

  it(`locks a client address after ${CLIENT_LIMIT} failures across usernames`, async () => {
    await frank();
    for (let i = 0; i < CLIENT_LIMIT; i += 1) await signIn({ username: `guess${i}`, password: 'x', client: '192.0.2.7' }, T0);
    expect(await signIn({ username: 'frank', password: PASSWORD, client: '192.0.2.7' }, T0 + 1)).toEqual({ ok: false, locked: true });
    expect((await signIn({ username: 'frank', password: PASSWORD, client: '192.0.2.8' }, T0 + 1)).ok).toBe(true);
  });

  it('a success clears the username count, so earlier typos do not add up', async () => {
    await frank();
    for (let i = 0; i < USER_LIMIT - 1; i += 1) await signIn({ username: 'frank', password: 'typo', client: 'c' }, T0);
    expect((await signIn({ username: 'frank', password: PASSWORD, client: 'c' }, T0)).ok).toBe(true);
    await signIn({ username: 'frank', password: 'typo', client: 'c' }, T0);
    expect((await signIn({ username: 'frank', password: PASSWORD, client: 'c' }, T0)).ok).toBe(true);
  });

  it('attempts while locked do not extend the lockout', async () => {
    await frank();
    for (let i = 0; i < USER_LIMIT; i += 1) await signIn({ username: 'frank', password: 'typo', client: 'c' }, T0);
    for (let i = 0; i < 10; i += 1) await signIn({ username: 'frank', password: 'typo', client: 'c' }, T0 + WINDOW_MS - 1);
    expect((await signIn({ username: 'frank', password: PASSWORD, client: 'c' }, T0 + WINDOW_MS + 1)).ok).toBe(true);
  });

  it('users from the trusted proxy have no password to sign in with', async () => {
    await rows("INSERT INTO users (username, role, source, created_at, updated_at) VALUES ('sso@example.com', 'admin', 'proxy', 0, 0)");
    expect(await signIn({ username: 'sso@example.com', password: '', client: 'c' }, T0)).toEqual({ ok: false, locked: false });
  });
});
