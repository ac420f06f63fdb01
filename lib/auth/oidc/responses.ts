// What the OpenID Connect routes answer: redirects, the attempt cookie, and the way back to the
// sign-in page with the reason a sign-in was refused. The routes in app/auth/oidc stay thin.
import 'server-only';
import { cookies } from 'next/headers';
import { isStoreUnavailable } from '@/lib/store/errors';
import { servedOverHttps } from '../current';
import { ATTEMPT_COOKIE, ATTEMPT_TTL_MS } from './attempts';
import { isOidcError } from './failures';

export function redirectTo(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

export async function setAttemptCookie(value: string): Promise<void> {
  (await cookies()).set(ATTEMPT_COOKIE, value, {
    httpOnly: true,
    // Lax: the provider's redirect back is a top-level navigation from its site.
    sameSite: 'lax',
    path: '/auth/oidc',
    secure: await servedOverHttps(),
    maxAge: ATTEMPT_TTL_MS / 1000,
  });
}

/** The attempt cookie's value; the cookie is cleared, as an attempt is good for one answer. */
export async function takeAttemptCookie(): Promise<string | undefined> {
  const jar = await cookies();
  const value = jar.get(ATTEMPT_COOKIE)?.value;
  if (value !== undefined) jar.set(ATTEMPT_COOKIE, '', { path: '/auth/oidc', maxAge: 0, httpOnly: true, sameSite: 'lax', secure: await servedOverHttps() });
  return value;
}

/**
 * A client over its sign-in budget (lib/auth/budgets.ts): 429 with Retry-After and a short page
 * saying so. Nothing is stored and the provider is not asked.
 */
export function tooManySignIns(retryAfterSeconds: number): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many sign-in attempts · Lakerunner Launch Console</title></head>
<body><main><h1>Too many sign-in attempts</h1><p>Too many sign-ins were started from your address. Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}, then <a href="/signin">sign in again</a>.</p></main></body></html>`;
  return new Response(html, {
    status: 429,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': String(retryAfterSeconds) },
  });
}

/** Back to the sign-in page with the failure's code; the page says what went wrong. */
export function signInFailed(error: unknown, next?: string): Response {
  const query = new URLSearchParams();
  if (isOidcError(error)) {
    query.set('error', error.code);
  } else if (isStoreUnavailable(error)) {
    // The sign-in page explains a store fault by itself.
    console.error(error.message);
  } else {
    console.error('OpenID Connect sign-in failed:', error);
    query.set('error', 'server');
  }
  if (next && next !== '/') query.set('next', next);
  return redirectTo(`/signin${query.size ? `?${query}` : ''}`);
}
