// Console users: local accounts with scrypt password hashes, and accounts created on first sight
// for trusted-proxy and OpenID Connect sign-in (lib/auth/oidc/accounts.ts). Keeps at least one
// admin at all times, except when the identity provider's claim demotes the last one.
import 'server-only';
import { z } from 'zod';
import { withDb } from '@/lib/store/db';
import { ActionError } from './action-error';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, generatePassword, hashPassword } from './passwords';
import type { Role } from './roles';

export const usernameSchema = z
  .string({ error: 'Enter a username.' })
  .trim()
  .min(1, 'Enter a username.')
  .max(254, 'Usernames are at most 254 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/, 'Use letters, digits and . _ @ + - only, starting with a letter or digit.');

export const newPasswordSchema = z
  .string({ error: 'Enter a password.' })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** Where a user's role came from: an admin, the identity provider's claim, or the default for newcomers. */
export type RoleSource = 'admin' | 'claim' | 'default';

export interface User {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly roleSource: RoleSource;
  /** local: signs in with a password; proxy: arrives through the trusted proxy; oidc: OpenID Connect. */
  readonly source: 'local' | 'proxy' | 'oidc';
  readonly mustChangePassword: boolean;
  readonly createdAt: Date;
  readonly lastSignInAt: Date | null;
}

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  role_source: RoleSource;
  password_hash: string | null;
  must_change_password: 0 | 1;
  source: User['source'];
  oidc_issuer: string | null;
  oidc_subject: string | null;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    roleSource: row.role_source,
    source: row.source,
    mustChangePassword: row.must_change_password === 1,
    createdAt: new Date(row.created_at),
    lastSignInAt: row.last_sign_in_at === null ? null : new Date(row.last_sign_in_at),
  };
}

export function findUserRow(username: string): UserRow | undefined {
  return withDb((db) => db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?').get(username));
}

export function getUser(id: number): User | undefined {
  const row = withDb((db) => db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?').get(id));
  return row && toUser(row);
}

export function requireUserById(id: number): User {
  const user = getUser(id);
  if (!user) throw new ActionError('That user no longer exists.', undefined, 404);
  return user;
}

export function countUsers(): number {
  return withDb((db) => db.prepare('SELECT count(*) FROM users').pluck().get() as number);
}

export interface UserListing extends User {
  readonly activeSessions: number;
}

export function listUsers(now = Date.now()): UserListing[] {
  return withDb((db) =>
    db
      .prepare<[number], UserRow & { active_sessions: number }>(
        `SELECT u.*, (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?) AS active_sessions
         FROM users u ORDER BY u.username COLLATE NOCASE`,
      )
      .all(now)
      .map((row) => ({ ...toUser(row), activeSessions: row.active_sessions })),
  );
}

export interface NewUser {
  readonly username: string;
  readonly role: Role;
  /** Omitted for proxy users, who have no password. */
  readonly password?: string;
  readonly mustChangePassword?: boolean;
  readonly source?: 'local' | 'proxy';
  readonly roleSource?: RoleSource;
}

export async function createUser(input: NewUser, now = Date.now()): Promise<User> {
  const username = usernameSchema.parse(input.username);
  const hash = input.password === undefined ? null : await hashPassword(input.password);
  return withDb((db) =>
    db.transaction(() => {
      if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) {
        throw new ActionError(`There is already a user called ${username}.`, 'username', 409);
      }
      const row = db
        .prepare<unknown[], UserRow>(
          `INSERT INTO users (username, role, role_source, password_hash, must_change_password, source, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(username, input.role, input.roleSource ?? 'admin', hash, input.mustChangePassword ? 1 : 0, input.source ?? 'local', now, now);
      return toUser(row!);
    }).immediate(),
  );
}

function otherAdmins(db: import('better-sqlite3').Database, id: number): number {
  return db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND id != ?").pluck().get(id) as number;
}

const LAST_ADMIN = 'This is the only admin. Make another user an admin first.';

export function setUserRole(id: number, role: Role, now = Date.now()): User {
  return withDb((db) =>
    db.transaction(() => {
      const current = requireUserById(id);
      if (current.role === 'admin' && role !== 'admin' && otherAdmins(db, id) === 0) {
        throw new ActionError(LAST_ADMIN, 'role', 409);
      }
      db.prepare("UPDATE users SET role = ?, role_source = 'admin', updated_at = ? WHERE id = ?").run(role, now, id);
      return requireUserById(id);
    }).immediate(),
  );
}

export function deleteUser(id: number): User {
  return withDb((db) =>
    db.transaction(() => {
      const current = requireUserById(id);
      if (current.role === 'admin' && otherAdmins(db, id) === 0) throw new ActionError(LAST_ADMIN, undefined, 409);
      db.prepare('DELETE FROM users WHERE id = ?').run(id);
      return current;
    }).immediate(),
  );
}

/** Sets a new password; mustChange asks the user to pick their own at the next sign-in. */
export async function setUserPassword(id: number, password: string, { mustChange }: { mustChange: boolean }, now = Date.now()) {
  const hash = await hashPassword(password);
  withDb((db) => {
    const { changes } = db
      .prepare("UPDATE users SET password_hash = ?, must_change_password = ?, source = 'local', updated_at = ? WHERE id = ?")
      .run(hash, mustChange ? 1 : 0, now, id);
    if (changes === 0) throw new ActionError('That user no longer exists.', undefined, 404);
  });
}

export function recordSignIn(id: number, now = Date.now()): void {
  withDb((db) => db.prepare('UPDATE users SET last_sign_in_at = ? WHERE id = ?').run(now, id));
}

/** A user signed in by the trusted proxy: found by email, or created with the configured role. */
export async function findOrCreateProxyUser(email: string, role: Role): Promise<{ user: User; created: boolean }> {
  const existing = findUserRow(email);
  if (existing) return { user: toUser(existing), created: false };
  try {
    return { user: await createUser({ username: email, role, source: 'proxy', roleSource: 'default' }), created: true };
  } catch (error) {
    // Two first requests at once: the other one created it.
    const raced = findUserRow(email);
    if (raced) return { user: toUser(raced), created: false };
    throw error;
  }
}

export const INITIAL_ADMIN = 'admin';

/**
 * First start with no users: creates "admin" with CONSOLE_ADMIN_PASSWORD, or with a generated
 * one-time password that is printed once through `print` and must be changed at first sign-in.
 * Only the hash is stored. Returns whether it created the account.
 */
export async function ensureInitialAdmin(
  configured: string | undefined,
  print: (message: string) => void,
): Promise<boolean> {
  if (countUsers() > 0) return false;
  const password = configured ?? generatePassword();
  const hash = await hashPassword(password);
  const now = Date.now();
  const created = withDb((db) =>
    db.transaction(() => {
      if ((db.prepare('SELECT count(*) FROM users').pluck().get() as number) > 0) return false;
      db.prepare(
        `INSERT INTO users (username, role, password_hash, must_change_password, source, created_at, updated_at)
         VALUES (?, 'admin', ?, ?, 'local', ?, ?)`,
      ).run(INITIAL_ADMIN, hash, configured ? 0 : 1, now, now);
      return true;
    }).immediate(),
  );
  if (created && !configured) print(firstStartMessage(password));
  if (created && configured) print(`Created the first admin account "${INITIAL_ADMIN}" with the password from CONSOLE_ADMIN_PASSWORD.`);
  return created;
}

function firstStartMessage(password: string): string {
  const rule = '='.repeat(72);
  return [
    rule,
    'Lakerunner Launch Console: first start, no users yet.',
    `Created the admin account "${INITIAL_ADMIN}" with this one-time password:`,
    '',
    `    ${password}`,
    '',
    'Sign in at /signin with it; you will be asked to choose your own password.',
    'It is shown only this once and is not stored anywhere (only its hash is).',
    'To set the first password yourself instead, start with CONSOLE_ADMIN_PASSWORD.',
    rule,
  ].join('\n');
}
