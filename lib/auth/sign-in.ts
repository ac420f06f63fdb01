// Password sign-in: one uniform answer for unknown users, wrong passwords and lockouts, a new
// session on success, and an audit entry either way.
import 'server-only';
import { audit } from '@/lib/store/audit';
import { burnVerification, verifyPassword } from './passwords';
import { clearUserFailures, isLockedOut, recordFailure } from './rate-limit';
import { createSession } from './sessions';
import { findUserRow, recordSignIn, toUser, type User } from './users';

export type SignInResult =
  | { readonly ok: true; readonly user: User; readonly token: string; readonly expiresAt: Date }
  | { readonly ok: false; readonly locked: boolean };

export async function signIn(
  { username, password, client }: { username: string; password: string; client: string },
  now = Date.now(),
): Promise<SignInResult> {
  const name = username.trim();
  if (await isLockedOut(name, client, now)) {
    // Still spend the hashing time, so a lockout cannot be told apart by how fast it answers.
    await burnVerification(password);
    const known = await findUserRow(name);
    await audit({ actor: known?.username ?? 'anonymous', action: 'signin.failure', target: known?.username, details: { reason: 'locked-out' }, client });
    return { ok: false, locked: true };
  }
  const row = await findUserRow(name);
  const valid = row?.password_hash ? await verifyPassword(password, row.password_hash) : await burnVerification(password);
  if (!row || !valid) {
    await recordFailure(name, client, now);
    // What was typed as an unknown username is not recorded: it is sometimes a password.
    await audit({
      actor: row?.username ?? 'anonymous',
      action: 'signin.failure',
      target: row?.username,
      details: { reason: row ? 'wrong-password' : 'unknown-user' },
      client,
    });
    return { ok: false, locked: false };
  }
  await clearUserFailures(name);
  const session = await createSession(row.id, client);
  await recordSignIn(row.id, now);
  await audit({ actor: row.username, action: 'signin.success', target: row.username, details: { via: 'password' }, client });
  return { ok: true, user: toUser(row), ...session };
}
