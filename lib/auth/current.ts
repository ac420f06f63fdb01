// The signed-in user inside pages, layouts, server actions and route handlers (through
// next/headers), re-checked there even though proxy.ts already checked the request.
import 'server-only';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { identify, requestClient, type Identity } from './identify';
import { roleAtLeast, type Role } from './roles';
import { SESSION_COOKIE } from './sessions';
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
