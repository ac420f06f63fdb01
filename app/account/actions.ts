'use server';
// The signed-in user's own account: changing their password (signing out is ./signout/route.ts).
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-error';
import { verifyPassword } from '@/lib/auth/passwords';
import { clearUserFailures, isLockedOut, recordFailure } from '@/lib/auth/rate-limit';
import { revokeUserSessions } from '@/lib/auth/sessions';
import { findUserRow, newPasswordSchema, setUserPassword } from '@/lib/auth/users';

const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(1024),
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ error: 'Repeat the new password.' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: 'The two new passwords differ.', path: ['confirmPassword'] })
  .refine((v) => v.newPassword !== v.currentPassword, { message: 'Choose a password different from the current one.', path: ['newPassword'] });

export const changePasswordAction = defineAction(
  {
    role: 'viewer',
    schema: changePasswordSchema,
    duringPasswordChange: true,
    audit: 'user.password-changed',
  },
  async (input, { user, client, sessionToken, auditEntry }) => {
    const row = await findUserRow(user.username);
    if (!row?.password_hash) throw new ActionError('Your account signs in through single sign-on and has no password here.');
    // Guessing the current password from a stolen session is throttled like signing in.
    if ((await isLockedOut(user.username, client)) || !(await verifyPassword(input.currentPassword, row.password_hash))) {
      await recordFailure(user.username, client);
      throw new ActionError('That is not your current password, or there were too many attempts. Try again later.', 'currentPassword');
    }
    await clearUserFailures(user.username);
    await setUserPassword(user.id, input.newPassword, { mustChange: false });
    const ended = await revokeUserSessions(user.id, sessionToken);
    auditEntry({ target: user.username, details: { endedSessions: ended } });
    return { username: user.username, endedSessions: ended, wasRequired: user.mustChangePassword };
  },
);
