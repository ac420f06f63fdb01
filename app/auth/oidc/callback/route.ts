// GET /auth/oidc/callback: where the identity provider sends the browser back (the redirect URI
// registered there). Refusals go back to the sign-in page with a reason; never an error page.
import { cookies } from 'next/headers';
import { spend } from '@/lib/auth/budgets';
import { getClient, setSessionCookie } from '@/lib/auth/current';
import { redirectTo, signInFailed, takeAttemptCookie, tooManySignIns } from '@/lib/auth/oidc/responses';
import { finishOidcSignIn } from '@/lib/auth/oidc/sign-in';
import { SESSION_COOKIE, revokeSession } from '@/lib/auth/sessions';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const client = await getClient();
  const budget = spend('oidc-callback', client);
  // The attempt cookie stays: the sign-in can still finish once the client waits.
  if (!budget.ok) return tooManySignIns(budget.retryAfterSeconds);
  try {
    const attempt = await takeAttemptCookie();
    const signedIn = await finishOidcSignIn({ search: new URL(request.url).search, attempt, client });
    // A new session id on every sign-in; whatever session the browser had before is ended.
    await revokeSession((await cookies()).get(SESSION_COOKIE)?.value);
    await setSessionCookie(signedIn.token, signedIn.expiresAt);
    return redirectTo(signedIn.next);
  } catch (error) {
    return signInFailed(error);
  }
}
