// Console accounts of OpenID Connect users: found by the provider's issuer and subject, created at
// the first sign-in under their email (else their username, else the subject), with the role the
// claim maps to refreshed at every sign-in (./role-mapping.ts). An existing account of the same
// name is never taken over: it may belong to someone else.
import 'server-only';
import { withDb } from '@/lib/store/db';
import type { Role } from '../roles';
import { toUser, usernameSchema, type User, type UserRow } from '../users';
import { decideRole, type RoleMapping } from './role-mapping';

export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  /** Names the account may get, best first (email, preferred_username, sub). */
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

export function signInOidcAccount(identity: OidcIdentity, defaultRole: RoleMapping['defaultRole'], now = Date.now()): OidcAccountResult {
  return withDb((db) =>
    db.transaction((): OidcAccountResult => {
      const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
      const row = db
        .prepare<[string, string], UserRow>('SELECT * FROM users WHERE oidc_issuer = ? AND oidc_subject = ?')
        .get(identity.issuer, identity.subject);
      if (row) {
        const decision = decideRole(identity.mapped, toUser(row), defaultRole);
        if (decision.kind === 'refuse') {
          // They lost access at the provider: the sessions they still have end too.
          const endedSessions = db.prepare('DELETE FROM sessions WHERE user_id = ?').run(row.id).changes;
          return { ok: false, reason: 'no-role', user: toUser(row), endedSessions };
        }
        if (decision.kind === 'set') {
          db.prepare('UPDATE users SET role = ?, role_source = ?, updated_at = ? WHERE id = ?').run(decision.role, decision.source, now, row.id);
        }
        db.prepare('UPDATE users SET last_sign_in_at = ? WHERE id = ?').run(now, row.id);
        const user = toUser(byId.get(row.id)!);
        return { ok: true, user, created: false, ...(user.role !== row.role && { previousRole: row.role }) };
      }
      const username = usableName(identity.names);
      if (!username) return { ok: false, reason: 'no-username' };
      if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) return { ok: false, reason: 'username-taken' };
      const decision = decideRole(identity.mapped, undefined, defaultRole);
      if (decision.kind !== 'set') return { ok: false, reason: 'no-role' };
      const created = db
        .prepare<unknown[], UserRow>(
          `INSERT INTO users (username, role, role_source, source, oidc_issuer, oidc_subject, created_at, updated_at, last_sign_in_at)
           VALUES (?, ?, ?, 'oidc', ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(username, decision.role, decision.source, identity.issuer, identity.subject, now, now, now);
      return { ok: true, user: toUser(created!), created: true };
    }).immediate(),
  );
}
