import { describe, expect, it } from 'vitest';
import { value } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import type { Role } from '../roles';
import { createSession, resolveSession } from '../sessions';
import { createUser, findUserRow, setUserRole } from '../users';
import { signInOidcAccount, type OidcIdentity } from './accounts';


const ISSUER = 'https://idp.example/';
const identity = (mapped: Role | undefined, overrides: Partial<OidcIdentity> = {}): OidcIdentity => ({
  issuer: ISSUER,
  subject: 'sub-1',
  names: ['Ada@Example.com', 'ada', 'sub-1'],
  mapped,
  ...overrides,
});

const countAdmins = async () => await value("SELECT count(*) FROM users WHERE role = 'admin'") as number;

async function signIn(mapped: Role | undefined, defaultRole: 'viewer' | 'none' = 'viewer', overrides: Partial<OidcIdentity> = {}) {
  const result = await signInOidcAccount(identity(mapped, overrides), defaultRole);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

describe.each(BACKENDS)('OpenID Connect accounts (%s)', (backend) => {
  setupTempStore(backend);

  it('creates a newcomer under their email, with the role their claim maps to', async () => {
    const { user, created } = await signIn('admin');
    expect(created).toBe(true);
    expect(user).toMatchObject({ username: 'ada@example.com', role: 'admin', roleSource: 'claim', source: 'oidc', mustChangePassword: false });
    expect(user.lastSignInAt).not.toBeNull();
    expect(await findUserRow('ada@example.com')).toMatchObject({ password_hash: null, oidc_issuer: ISSUER, oidc_subject: 'sub-1' });
  });

  it('gives a newcomer whose claim maps to no role the default, or refuses them when the default is none', async () => {
    expect(await signInOidcAccount(identity(undefined), 'none')).toEqual({ ok: false, reason: 'no-role' });
    expect(await findUserRow('ada@example.com')).toBeUndefined();
    expect((await signIn(undefined)).user).toMatchObject({ role: 'viewer', roleSource: 'default' });
  });

  it('refreshes the role from the claim at every sign-in, and says when it changed', async () => {
    await signIn('deployer');
    expect(await signIn('deployer')).toMatchObject({ created: false, user: { role: 'deployer' } });
    expect(await signIn('deployer')).not.toHaveProperty('previousRole');
    expect(await signIn('admin')).toMatchObject({ user: { role: 'admin', roleSource: 'claim' }, previousRole: 'deployer' });
    expect(await signIn(undefined)).toMatchObject({ user: { role: 'viewer', roleSource: 'default' }, previousRole: 'admin' });
  });

  it("keeps an admin's choice while the claim maps to no role, and lets a mapped claim override it", async () => {
    const { user } = await signIn(undefined);
    await setUserRole(user.id, 'deployer');
    expect((await signIn(undefined)).user).toMatchObject({ role: 'deployer', roleSource: 'admin' });
    expect((await signIn(undefined, 'none')).user).toMatchObject({ role: 'deployer', roleSource: 'admin' });
    expect((await signIn('admin')).user).toMatchObject({ role: 'admin', roleSource: 'claim' });
  });

  it('ends the sessions of someone whose claim no longer gives them any role', async () => {
    const { user } = await signIn('deployer');
    const { token } = await createSession(user.id, undefined);
    expect(await signInOidcAccount(identity(undefined), 'none')).toMatchObject({ ok: false, reason: 'no-role', endedSessions: 1 });
    expect(await resolveSession(token)).toBeUndefined();
  });

  it('applies the claim even to the only admin: the provider decides who administers', async () => {
    expect((await signIn('admin')).user.role).toBe('admin');
    expect(await countAdmins()).toBe(1);
    expect((await signIn(undefined)).user.role).toBe('viewer');
    expect(await countAdmins()).toBe(0);
  });

  it("never takes over an existing account of the same name, nor one of another issuer's users", async () => {
    await createUser({ username: 'ada@example.com', role: 'admin', password: 'a long password here' });
    expect(await signInOidcAccount(identity('admin'), 'viewer')).toEqual({ ok: false, reason: 'username-taken' });
    expect(await findUserRow('ada@example.com')).toMatchObject({ source: 'local', oidc_subject: null });

    const other = await signIn('viewer', 'viewer', { names: ['grace@example.com'] });
    expect(await signInOidcAccount(identity('viewer', { issuer: 'https://other-idp.example/', names: ['grace@example.com'] }), 'viewer')).toEqual({
      ok: false,
      reason: 'username-taken',
    });
    expect((await signIn('viewer', 'viewer', { names: ['renamed@example.com'] })).user.id).toBe(other.user.id);
  });

  it('falls back to the username and then the subject when the email is missing or unusable, and refuses when none will do', async () => {
    expect((await signIn('viewer', 'viewer', { subject: 's1', names: [undefined, 'grace', 's1'] })).user.username).toBe('grace');
    expect((await signIn('viewer', 'viewer', { subject: 's2', names: ['not an email', undefined, 'user-s2'] })).user.username).toBe('user-s2');
    expect(await signInOidcAccount(identity('viewer', { subject: 's3', names: ['has space', ' ', 'auth0|s3'] }), 'viewer')).toEqual({
      ok: false,
      reason: 'no-username',
    });
  });
});
