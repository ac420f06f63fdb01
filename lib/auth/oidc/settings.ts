// The OpenID Connect settings of lib/env.ts in the shape sign-in uses, and which ways of signing in
// the sign-in page offers.
import 'server-only';
import { env } from '@/lib/env';
import type { RoleMapping } from './role-mapping';

export const CALLBACK_PATH = '/auth/oidc/callback';
export const START_PATH = '/auth/oidc/start';
/** Where the provider sends the browser after its own sign-out (register it there too). */
export const POST_LOGOUT_PATH = '/signin';

export interface OidcSettings {
  readonly issuer: URL;
  readonly clientId: string;
  /** Undefined for a public client, which relies on PKCE alone. */
  readonly clientSecret: string | undefined;
  readonly scope: string;
  readonly name: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  readonly mapping: RoleMapping;
}

export function oidcSettings(): OidcSettings | undefined {
  const e = env();
  if (!e.CONSOLE_OIDC_ISSUER || !e.CONSOLE_OIDC_CLIENT_ID || !e.CONSOLE_PUBLIC_URL) return undefined;
  const base = e.CONSOLE_PUBLIC_URL.replace(/\/+$/, '');
  return {
    issuer: new URL(e.CONSOLE_OIDC_ISSUER),
    clientId: e.CONSOLE_OIDC_CLIENT_ID,
    clientSecret: e.CONSOLE_OIDC_CLIENT_SECRET,
    scope: e.CONSOLE_OIDC_SCOPES.join(' '),
    name: e.CONSOLE_OIDC_NAME,
    redirectUri: `${base}${CALLBACK_PATH}`,
    postLogoutRedirectUri: `${base}${POST_LOGOUT_PATH}`,
    mapping: {
      claim: e.CONSOLE_OIDC_ROLE_CLAIM,
      admin: e.CONSOLE_OIDC_ADMIN_VALUES,
      deployer: e.CONSOLE_OIDC_DEPLOYER_VALUES,
      defaultRole: e.CONSOLE_OIDC_DEFAULT_ROLE,
    },
  };
}

export interface SignInOptions {
  /** The provider's name for "Sign in with …", when OpenID Connect is set up. */
  readonly oidcName: string | undefined;
  readonly password: boolean;
}

export function signInOptions(): SignInOptions {
  return { oidcName: oidcSettings()?.name, password: env().CONSOLE_PASSWORD_SIGNIN === 'on' };
}
