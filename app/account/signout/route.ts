// POST /account/signout: ends the caller's session. A plain form post rather than a server action,
// because actions post to the page they are on and some pages accept posts from deployers only.
import { clearSessionCookie } from '@/lib/auth/current';
import { defineRoute } from '@/lib/auth/route';
import { revokeSession } from '@/lib/auth/sessions';
import { audit } from '@/lib/store/audit';

export const POST = defineRoute({ role: 'viewer', duringPasswordChange: true }, async (_input, { user, client, sessionToken }) => {
  revokeSession(sessionToken);
  await clearSessionCookie();
  audit({ actor: user.username, action: 'signout', target: user.username, client });
  return new Response(null, { status: 303, headers: { Location: '/signin', 'Cache-Control': 'no-store' } });
});
