// Console accounts of OpenID Connect users: found by the provider's issuer and subject, created at
// the first sign-in under their verified email (else their username, else the subject), with the role the
// claim maps to refreshed at every sign-in (./role-mapping.ts). An existing account of the same
// name is never taken over: it may belong to someone else.
import 'server-only';
import { inTransaction } from '@/lib/store/db';
import type { Role } from '../roles';
import { toUser, usernameSchema, type User } from '../users';
import { decideRole, type RoleMapping } from './role-mapping';

export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  /** Names the account may get, best first (a verified email, preferred_username, sub). */
  readonly names: readonly (string | undefined)[];
  /** The role the claim maps to; undefined when it maps to none. */
  readonly mapped: Role | undefined;
}

export type OidcAccountResult =
  | { readonly ok: true; readonly user: User; readonly created: boolean; readonly previousRole?: Role }
  | { readonly ok: false; readonly reason: 'no-role' | 'username-taken' | 'no-username'; readonly user?: User; readonly endedSessions?: number };

function usableName(names: OidcIdentity['names']): string | undefined {
  for (const name of names) {
    const parsed = usernameSchema.safeParse(name);
    if (parsed.success) return parsed.data.includes('@') ? parsed.data.toLowerCase() : parsed.data;
  }
  return undefined;
}

export async function signInOidcAccount(identity: OidcIdentity, defaultRole: RoleMapping['defaultRole'], now = Date.now()): Promise<OidcAccountResult> {
  return inTransaction(
    async (db): Promise<OidcAccountResult> => {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('oidc_issuer', '=', identity.issuer)
        .where('oidc_subject', '=', identity.subject)
        .executeTakeFirst();
      if (row) {
        const decision = decideRole(identity.mapped, toUser(row), defaultRole);
        if (decision.kind === 'refuse') {
          // They lost access at the provider: the sessions they still have end too.
          const ended = await db.deleteFrom('sessions').where('user_id', '=', row.id).executeTakeFirst();
          return { ok: false, reason: 'no-role', user: toUser(row), endedSessions: Number(ended.numDeletedRows) };
        }
        const changes = decision.kind === 'set' ? { role: decision.role, role_source: decision.source, updated_at: now } : {};
        const updated = await db
          .updateTable('users')
          .set({ ...changes, last_sign_in_at: now })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const user = toUser(updated);
        return { ok: true, user, created: false, ...(user.role !== row.role && { previousRole: row.role }) };
      }
      const username = usableName(identity.names);
      if (!username) return { ok: false, reason: 'no-username' };
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['username']), '=', eb.fn('lower', [eb.val(username)])))
        .executeTakeFirst();
      if (existing) return { ok: false, reason: 'username-taken' };
      const decision = decideRole(identity.mapped, undefined, defaultRole);
      if (decision.kind !== 'set') return { ok: false, reason: 'no-role' };
      const created = await db
        .insertInto('users')
        .values({
          username,
          role: decision.role,
          role_source: decision.source,
          source: 'oidc',
          oidc_issuer: identity.issuer,
          oidc_subject: identity.subject,
          created_at: now,
          updated_at: now,
          last_sign_in_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ok: true, user: toUser(created), created: true };
    },
    { exclusive: true },
  );
}
