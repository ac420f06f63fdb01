// POST /account/signout: ends the caller's session and, for someone who signed in with OpenID
// Connect, sends the browser on to the provider's sign-out when it offers one. A plain form post
// rather than a server action, because actions post to the page they are on and some pages accept
// posts from deployers only.
import { clearSessionCookie } from '@/lib/auth/current';
import { redirectTo } from '@/lib/auth/oidc/responses';
import { providerSignOutUrl } from '@/lib/auth/oidc/sign-in';
import { defineRoute } from '@/lib/auth/route';
import { revokeSession } from '@/lib/auth/sessions';
import { audit } from '@/lib/store/audit';

export const POST = defineRoute({ role: 'viewer', duringPasswordChange: true }, async (_input, { user, client, sessionToken }) => {
  await revokeSession(sessionToken);
  await clearSessionCookie();
  await audit({ actor: user.username, action: 'signout', target: user.username, client });
  const provider = user.source === 'oidc' ? await providerSignOutUrl() : undefined;
  return redirectTo(provider ?? '/signin');
});
