import { describe, expect, it } from 'vitest';
import { rows } from '@/lib/store/testing/query';
import { BACKENDS, setupTempStore } from '@/lib/store/testing/temp-store';
import { verifyPassword } from './passwords';
import {
  INITIAL_ADMIN,
  countUsers,
  createUser,
  deleteUser,
  ensureInitialAdmin,
  findOrCreateProxyUser,
  findUserRow,
  listUsers,
  setUserPassword,
  setUserRole,
} from './users';


describe.each(BACKENDS)('first start (%s)', (backend) => {
  setupTempStore(backend);

  it('creates admin with a generated one-time password, printed once and stored only as a hash', async () => {
    const printed: string[] = [];
    expect(await ensureInitialAdmin(undefined, (m) => printed.push(m))).toBe(true);
    expect(printed).toHaveLength(1);
    const password = /^ {4}(\S+)$/m.exec(printed[0]!)?.[1];
    expect(password).toMatch(/^[\w]{6}-[\w]{6}-[\w]{6}-[\w]{6}$/);
    expect(printed[0]).toMatch(/one-time password/);

    const row = (await findUserRow(INITIAL_ADMIN))!;
    expect(row).toMatchObject({ role: 'admin', must_change_password: 1, source: 'local' });
    expect(await verifyPassword(password!, row.password_hash!)).toBe(true);
    // The clear text is nowhere in the store.
    const dump = JSON.stringify(await rows('SELECT * FROM users')) + JSON.stringify(await rows('SELECT * FROM audit_log'));
    expect(dump).not.toContain(password);

    // A second start finds the admin and prints nothing.
    expect(await ensureInitialAdmin(undefined, (m) => printed.push(m))).toBe(false);
    expect(printed).toHaveLength(1);
  });

  it('uses CONSOLE_ADMIN_PASSWORD when given, without printing it or asking for a change', async () => {
    const printed: string[] = [];
    await ensureInitialAdmin('a configured password', (m) => printed.push(m));
    const row = (await findUserRow(INITIAL_ADMIN))!;
    expect(row.must_change_password).toBe(0);
    expect(await verifyPassword('a configured password', row.password_hash!)).toBe(true);
    expect(printed.join('\n')).not.toContain('a configured password');
  });

  it('creates exactly one admin when several starts race', async () => {
    const printed: string[] = [];
    const results = await Promise.all([1, 2, 3].map(() => ensureInitialAdmin(undefined, (m) => printed.push(m))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await countUsers()).toBe(1);
    expect(printed).toHaveLength(1);
  });

  it('does nothing when users exist', async () => {
    await createUser({ username: 'alice', role: 'viewer', password: 'alice password' });
    expect(await ensureInitialAdmin(undefined, () => {})).toBe(false);
    expect(await findUserRow(INITIAL_ADMIN)).toBeUndefined();
  });
});

describe.each(BACKENDS)('users (%s)', (backend) => {
  setupTempStore(backend);

  it('usernames are unique regardless of case', async () => {
    await createUser({ username: 'Alice', role: 'viewer', password: 'alice password' });
    await expect(createUser({ username: 'alice', role: 'admin', password: 'another password' })).rejects.toMatchObject({
      field: 'username',
      message: 'There is already a user called alice.',
    });
    expect((await findUserRow('ALICE'))?.username).toBe('Alice');
  });

  it('rejects usernames that could confuse logs or links', async () => {
    for (const bad of ['', ' ', '../admin', 'a b', '<script>', 'x'.repeat(255), '-dash']) {
      await expect(createUser({ username: bad, role: 'viewer' })).rejects.toThrow();
    }
    expect(await countUsers()).toBe(0);
  });

  it('never demotes or deletes the last admin', async () => {
    const root = await createUser({ username: 'root', role: 'admin', password: 'root password!' });
    await expect(setUserRole(root.id, 'deployer')).rejects.toThrow(/only admin/);
    await expect(deleteUser(root.id)).rejects.toThrow(/only admin/);

    const second = await createUser({ username: 'second', role: 'admin', password: 'second password' });
    expect((await setUserRole(root.id, 'viewer')).role).toBe('viewer');
    await expect(deleteUser(second.id)).rejects.toThrow(/only admin/);
    expect((await deleteUser(root.id)).username).toBe('root');
    expect((await listUsers()).map((u) => u.username)).toEqual(['second']);
  });

  it('a password reset can require a change at the next sign-in', async () => {
    const bob = await createUser({ username: 'bob', role: 'deployer', password: 'bob first password' });
    await setUserPassword(bob.id, 'bob second password', { mustChange: true });
    const row = (await findUserRow('bob'))!;
    expect(row.must_change_password).toBe(1);
    expect(await verifyPassword('bob second password', row.password_hash!)).toBe(true);
    expect(await verifyPassword('bob first password', row.password_hash!)).toBe(false);
  });

  it('trusted-proxy users are created once, with the configured role and no password', async () => {
    const first = await findOrCreateProxyUser('carol@example.com', 'deployer');
    const again = await findOrCreateProxyUser('carol@example.com', 'admin');
    expect(first.created).toBe(true);
    expect(again).toEqual({ user: first.user, created: false });
    expect(await findUserRow('carol@example.com')).toMatchObject({ role: 'deployer', source: 'proxy', password_hash: null });
  });

  it('the listing shows the issuer and subject an OpenID Connect account is tied to, and nothing of the kind for others', async () => {
    await createUser({ username: 'local', role: 'admin', password: 'local password!' });
    await rows(
      "INSERT INTO users (username, role, source, oidc_issuer, oidc_subject, created_at, updated_at) VALUES ('sso', 'viewer', 'oidc', 'https://sso.example/realms/acme', 'f3a9-77', 0, 0)",
    );
    const listed = Object.fromEntries((await listUsers()).map((u) => [u.username, u.oidc]));
    expect(listed).toEqual({ local: undefined, sso: { issuer: 'https://sso.example/realms/acme', subject: 'f3a9-77' } });
  });
});
