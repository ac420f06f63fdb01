// GET /auth/oidc/start?next=/path: sends the browser to the identity provider. The sign-in page
// links here rather than posting a form, because the Content-Security-Policy's form-action would
// stop a form's redirect to another site.
import { spend } from '@/lib/auth/budgets';
import { getClient } from '@/lib/auth/current';
import { safeNextPath } from '@/lib/auth/next-path';
import { redirectTo, setAttemptCookie, signInFailed, tooManySignIns } from '@/lib/auth/oidc/responses';
import { startOidcSignIn } from '@/lib/auth/oidc/sign-in';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const budget = spend('oidc-start', await getClient());
  if (!budget.ok) return tooManySignIns(budget.retryAfterSeconds);
  const next = safeNextPath(new URL(request.url).searchParams.get('next') ?? undefined);
  try {
    const { location, attempt } = await startOidcSignIn(next);
    await setAttemptCookie(attempt);
    return redirectTo(location);
  } catch (error) {
    return signInFailed(error, next);
  }
}
