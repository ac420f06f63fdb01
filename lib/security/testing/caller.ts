// Test helper: stands in for next/headers with cookies that can also be set (sign-in, sign-out),
// so every route handler and server action can be called in-process as a chosen caller. Use with
// vi.mock('next/headers', async () => (await import('@/lib/security/testing/caller')).fakeHeaders).
import { ATTEMPT_COOKIE } from '@/lib/auth/oidc/attempts';
import { SESSION_COOKIE } from '@/lib/auth/sessions';

interface Caller {
  headers: Headers;
  cookies: Map<string, string>;
}

let current: Caller = { headers: new Headers(), cookies: new Map() };

/** The next calls come from this session (undefined: anonymous) with these request headers. */
export function callAs(token: string | undefined, headers: Record<string, string> = {}): void {
  current = { headers: new Headers(headers), cookies: new Map(token ? [[SESSION_COOKIE, token]] : []) };
}

/** The session cookie as the handler left it (a sign-out clears it). */
export const sessionCookie = (): string | undefined => current.cookies.get(SESSION_COOKIE);

/** The OpenID Connect sign-in attempt's cookie as the handler left it. */
export const attemptCookie = (): string | undefined => current.cookies.get(ATTEMPT_COOKIE);

export const fakeHeaders = {
  headers: async () => current.headers,
  cookies: async () => ({
    get: (name: string) => {
      const value = current.cookies.get(name);
      return value === undefined ? undefined : { name, value };
    },
    set: (name: string, value: string) => {
      if (value === '') current.cookies.delete(name);
      else current.cookies.set(name, value);
    },
    delete: (name: string) => current.cookies.delete(name),
  }),
};
