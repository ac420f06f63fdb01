// The signed-in user inside pages, layouts, server actions and route handlers (through
// next/headers), re-checked there even though proxy.ts already checked the request.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { env } from '@/lib/env';
import { identify, requestClient, type Identity } from './identify';
import { roleAtLeast, type Role } from './roles';
import { SESSION_COOKIE, sessionCookieOptions } from './sessions';
import type { User } from './users';

/** Once per request, however many components ask. */
export const getIdentity = cache(async (): Promise<Identity | undefined> => {
  const [h, c] = await Promise.all([headers(), cookies()]);
  return identify(h, c.get(SESSION_COOKIE)?.value);
});

export async function getCurrentUser(): Promise<User | undefined> {
  return (await getIdentity())?.user;
}

/** The caller's address, for rate limiting and audit entries. */
export async function getClient(): Promise<string> {
  return requestClient(await headers());
}

/**
 * For pages and server components: the user, who has at least `minimum`. Anonymous callers go to
 * the sign-in page; under-privileged ones get a 404, so the page does not even admit it exists.
 */
export async function requireUser(minimum: Role = 'viewer'): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect('/signin');
  if (!roleAtLeast(user.role, minimum)) notFound();
  return user;
}

/** Whether cookies must be Secure: the console is served over https (CONSOLE_PUBLIC_URL or the request). */
export async function servedOverHttps(): Promise<boolean> {
  const h = await headers();
  return (
    env().CONSOLE_PUBLIC_URL?.startsWith('https:') === true ||
    h.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}

/** Sets the session cookie for a new sign-in. */
export async function setSessionCookie(token: string, expires: Date): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(expires, await servedOverHttps()));
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, '', { ...sessionCookieOptions(new Date(0), await servedOverHttps()), maxAge: 0 });
}
