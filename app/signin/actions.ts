'use server';
// Signing in with a username and password. Public: it is how a caller stops being anonymous.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-error';
import { bootstrapAuth } from '@/lib/auth/bootstrap';
import { setSessionCookie } from '@/lib/auth/current';
import { PASSWORD_SIGN_IN_OFF, SIGN_IN_FAILED } from '@/lib/auth/messages';
import { safeNextPath } from '@/lib/auth/next-path';
import { signInOptions } from '@/lib/auth/oidc/settings';
import { revokeSession } from '@/lib/auth/sessions';
import { signIn } from '@/lib/auth/sign-in';

const signInSchema = z.object({
  username: z.string({ error: 'Enter your username.' }).trim().min(1, 'Enter your username.').max(254, 'Usernames are at most 254 characters.'),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024, 'Passwords are at most 1024 characters.'),
  next: z.string().max(4096).optional(),
});

export const signInAction = defineAction({ role: 'public', schema: signInSchema }, async (input, { client, sessionToken }) => {
  if (!signInOptions().password) throw new ActionError(PASSWORD_SIGN_IN_OFF);
  await bootstrapAuth();
  const result = await signIn({ username: input.username, password: input.password, client });
  if (!result.ok) throw new ActionError(SIGN_IN_FAILED);
  // A new session id on every sign-in; whatever session the browser had before is ended.
  await revokeSession(sessionToken);
  await setSessionCookie(result.token, result.expiresAt);
  redirect(result.user.mustChangePassword ? '/account' : safeNextPath(input.next));
});
