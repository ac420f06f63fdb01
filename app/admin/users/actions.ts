'use server';
// User administration: create with a one-time password, change role, reset password, end
// sessions, delete. Admins only; every change is audited.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-error';
import { PASSWORD_SIGN_IN_OFF } from '@/lib/auth/messages';
import { signInOptions } from '@/lib/auth/oidc/settings';
import { generatePassword } from '@/lib/auth/passwords';
import { ROLES } from '@/lib/auth/roles';
import { revokeUserSessions } from '@/lib/auth/sessions';
import { createUser, deleteUser, requireUserById, setUserPassword, setUserRole, usernameSchema } from '@/lib/auth/users';

const PAGE = '/admin/users';
const userId = z.coerce.number({ error: 'Pick a user.' }).int('Pick a user.').positive('Pick a user.');
const role = z.enum(ROLES, { error: 'Pick viewer, deployer or admin.' });

/** Passwords are pointless, and the page offers none, while password sign-in is off. */
function requirePasswordSignIn(): void {
  if (!signInOptions().password) throw new ActionError(PASSWORD_SIGN_IN_OFF, undefined, 409);
}

export const createUserAction = defineAction(
  {
    role: 'admin',
    schema: z.object({ username: usernameSchema, role }),
    audit: 'user.created',
  },
  async (input, { auditEntry }) => {
    requirePasswordSignIn();
    const password = generatePassword();
    const user = await createUser({ username: input.username, role: input.role, password, mustChangePassword: true });
    auditEntry({ target: user.username, details: { role: user.role } });
    revalidatePath(PAGE);
    return { username: user.username, oneTimePassword: password };
  },
);

export const changeRoleAction = defineAction(
  {
    role: 'admin',
    schema: z.object({ id: userId, role }),
    audit: 'user.role-changed',
  },
  async (input, { auditEntry }) => {
    const before = await requireUserById(input.id);
    const after = await setUserRole(input.id, input.role);
    auditEntry({ target: after.username, details: { from: before.role, to: after.role } });
    revalidatePath(PAGE);
    return { username: after.username, from: before.role, to: after.role };
  },
);

export const resetPasswordAction = defineAction(
  {
    role: 'admin',
    schema: z.object({ id: userId }),
    audit: 'user.password-reset',
  },
  async (input, { auditEntry }) => {
    requirePasswordSignIn();
    const user = await requireUserById(input.id);
    const password = generatePassword();
    await setUserPassword(user.id, password, { mustChange: true });
    const endedSessions = await revokeUserSessions(user.id);
    auditEntry({ target: user.username, details: { endedSessions } });
    revalidatePath(PAGE);
    return { username: user.username, oneTimePassword: password, endedSessions };
  },
);

export const revokeSessionsAction = defineAction(
  {
    role: 'admin',
    schema: z.object({ id: userId }),
    audit: 'user.sessions-revoked',
  },
  async (input, { auditEntry }) => {
    const user = await requireUserById(input.id);
    const count = await revokeUserSessions(user.id);
    auditEntry({ target: user.username, details: { count } });
    revalidatePath(PAGE);
    return { username: user.username, count };
  },
);

export const deleteUserAction = defineAction(
  {
    role: 'admin',
    schema: z.object({ id: userId }),
    audit: 'user.deleted',
  },
  async (input, { auditEntry }) => {
    const user = await deleteUser(input.id);
    auditEntry({ target: user.username, details: { role: user.role } });
    revalidatePath(PAGE);
    return { username: user.username, role: user.role };
  },
);
