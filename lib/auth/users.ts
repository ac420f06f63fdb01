// Console users: local accounts with scrypt password hashes, and accounts created on first sight
// for trusted-proxy and OpenID Connect sign-in (lib/auth/oidc/accounts.ts). Keeps at least one
// admin at all times, except when the identity provider's claim demotes the last one.
import 'server-only';
import { z } from 'zod';
import type { ExpressionBuilder, Selectable } from 'kysely';
import { dbNow, inTransaction, withDb, type StoreDb } from '@/lib/store/db';
import { isUniqueViolation } from '@/lib/store/errors';
import type { StoreSchema, UsersTable } from '@/lib/store/schema';
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

export type UserRow = Selectable<UsersTable>;

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

/** Usernames compare case-insensitively (lower() on both dialects, matching the unique index). */
const named = (username: string) => (eb: ExpressionBuilder<StoreSchema, 'users'>) =>
  eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username)]));

export async function findUserRow(username: string): Promise<UserRow | undefined> {
  return withDb((db) => db.selectFrom('users').selectAll().where(named(username)).executeTakeFirst());
}

const byId = (id: number) => (db: StoreDb) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function getUser(id: number): Promise<User | undefined> {
  const row = await withDb(byId(id));
  return row && toUser(row);
}

/** The user, or a 404 ActionError; inside a transaction, read through it (db). */
export async function requireUserById(id: number, db?: StoreDb): Promise<User> {
  const row = await (db ? byId(id)(db) : withDb(byId(id)));
  if (!row) throw new ActionError('That user no longer exists.', undefined, 404);
  return toUser(row);
}

export async function countUsers(db?: StoreDb): Promise<number> {
  const count = (d: StoreDb) => d.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return (await (db ? count(db) : withDb(count))).n;
}

export interface UserListing extends User {
  readonly activeSessions: number;
  /** For an OpenID Connect account: the provider's issuer and the subject the account is tied to. */
  readonly oidc?: { readonly issuer: string; readonly subject: string };
}

export async function listUsers(): Promise<UserListing[]> {
  const rows = await withDb((db) =>
    db
      .selectFrom('users as u')
      .selectAll('u')
      .select((eb) =>
        eb
          .selectFrom('sessions as s')
          .select((s) => s.fn.countAll<number>().as('n'))
          .whereRef('s.user_id', '=', 'u.id')
          .where('s.expires_at', '>', dbNow())
          .as('active_sessions'),
      )
      .orderBy((eb) => eb.fn('lower', ['u.username']))
      .execute(),
  );
  return rows.map((row) => ({
    ...toUser(row),
    activeSessions: Number(row.active_sessions ?? 0),
    ...(row.oidc_issuer !== null && row.oidc_subject !== null ? { oidc: { issuer: row.oidc_issuer, subject: row.oidc_subject } } : {}),
  }));
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

const taken = (username: string) => new ActionError(`There is already a user called ${username}.`, 'username', 409);

export async function createUser(input: NewUser, now = Date.now()): Promise<User> {
  const username = usernameSchema.parse(input.username);
  const hash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    return await inTransaction(
      async (db) => {
        if (await db.selectFrom('users').select('id').where(named(username)).executeTakeFirst()) throw taken(username);
        const row = await db
          .insertInto('users')
          .values({
            username,
            role: input.role,
            role_source: input.roleSource ?? 'admin',
            password_hash: hash,
            must_change_password: input.mustChangePassword ? 1 : 0,
            source: input.source ?? 'local',
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      },
      { exclusive: true },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(username);
    throw error;
  }
}

async function otherAdmins(db: StoreDb, id: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('id', '!=', id)
    .executeTakeFirstOrThrow();
  return row.n;
}

const LAST_ADMIN = 'This is the only admin. Make another user an admin first.';

export async function setUserRole(id: number, role: Role, now = Date.now()): Promise<User> {
  return inTransaction(
    async (db) => {
      const current = await requireUserById(id, db);
      if (current.role === 'admin' && role !== 'admin' && (await otherAdmins(db, id)) === 0) {
        throw new ActionError(LAST_ADMIN, 'role', 409);
      }
      await db.updateTable('users').set({ role, role_source: 'admin', updated_at: now }).where('id', '=', id).execute();
      return requireUserById(id, db);
    },
    { exclusive: true },
  );
}

export async function deleteUser(id: number): Promise<User> {
  return inTransaction(
    async (db) => {
      const current = await requireUserById(id, db);
      if (current.role === 'admin' && (await otherAdmins(db, id)) === 0) throw new ActionError(LAST_ADMIN, undefined, 409);
      await db.deleteFrom('users').where('id', '=', id).execute();
      return current;
    },
    { exclusive: true },
  );
}

/** Sets a new password; mustChange asks the user to pick their own at the next sign-in. */
export async function setUserPassword(id: number, password: string, { mustChange }: { mustChange: boolean }, now = Date.now()) {
  const hash = await hashPassword(password);
  const result = await withDb((db) =>
    db
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: mustChange ? 1 : 0, source: 'local', updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  if (Number(result.numUpdatedRows) === 0) throw new ActionError('That user no longer exists.', undefined, 404);
}

export async function recordSignIn(id: number, now = Date.now()): Promise<void> {
  await withDb((db) => db.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', id).execute());
}

/** A user signed in by the trusted proxy: found by email, or created with the configured role. */
export async function findOrCreateProxyUser(email: string, role: Role): Promise<{ user: User; created: boolean }> {
  const existing = await findUserRow(email);
  if (existing) return { user: toUser(existing), created: false };
  try {
    return { user: await createUser({ username: email, role, source: 'proxy', roleSource: 'default' }), created: true };
  } catch (error) {
    // Two first requests at once: the other one created it.
    const raced = await findUserRow(email);
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
  if ((await countUsers()) > 0) return false;
  const password = configured ?? generatePassword();
  const hash = await hashPassword(password);
  const now = Date.now();
  // Exclusive: replicas starting at once on an empty store create one admin, and print one password.
  const created = await inTransaction(
    async (db) => {
      if ((await countUsers(db)) > 0) return false;
      await db
        .insertInto('users')
        .values({ username: INITIAL_ADMIN, role: 'admin', password_hash: hash, must_change_password: configured ? 0 : 1, source: 'local', created_at: now, updated_at: now })
        .execute();
      return true;
    },
    { exclusive: true },
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
