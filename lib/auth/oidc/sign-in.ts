// OpenID Connect sign-in and sign-out through openid-client: the authorization code flow with PKCE,
// state and nonce. startOidcSignIn sends the browser to the provider; finishOidcSignIn has the
// library check the answer (every token check is the library's), maps the claim to a role, opens a
// session and audits the outcome either way.
import 'server-only';
import * as oidc from 'openid-client';
import { audit } from '@/lib/store/audit';
import { isStoreUnavailable } from '@/lib/store/errors';
import { safeNextPath } from '../next-path';
import { createSession } from '../sessions';
import type { User } from '../users';
import { signInOidcAccount } from './accounts';
import { saveAttempt, takeAttempt } from './attempts';
import { OidcError } from './failures';
import { providerConfig, providerError } from './provider';
import { claimValues, mappedRole } from './role-mapping';
import { oidcSettings, type OidcSettings } from './settings';

function requireSettings(): OidcSettings {
  const settings = oidcSettings();
  if (!settings) throw new OidcError('not-configured', 'CONSOLE_OIDC_ISSUER is not set');
  return settings;
}

/** The provider's authorization URL for a new attempt, and the value of the attempt's cookie. */
export async function startOidcSignIn(next: string | undefined): Promise<{ location: string; attempt: string }> {
  const settings = requireSettings();
  const config = await providerConfig(settings).catch((error: unknown) => {
    const failure = providerError(error, 'discovery');
    console.error(`OpenID Connect sign-in could not start (${failure.code}): ${failure.message}`);
    throw failure;
  });
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const attempt = await saveAttempt({ state, nonce, codeVerifier, next: safeNextPath(next) });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: settings.scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { location: url.href, attempt };
}

export interface OidcSignedIn {
  readonly user: User;
  readonly token: string;
  readonly expiresAt: Date;
  readonly next: string;
}

type Claims = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The email, only when the provider says it verified it (email_verified true; some providers send
 * the string "true" from their userinfo endpoint): an unverified address is whatever the user
 * typed at the provider, and must not name a console account.
 */
export function verifiedEmail(claims: Record<string, unknown>): string | undefined {
  return claims.email_verified === true || claims.email_verified === 'true' ? text(claims.email) : undefined;
}

/** The names an account may get, best first: a verified email, else the preferred username, else the subject. */
export const accountNames = (claims: Record<string, unknown>) => [verifiedEmail(claims), text(claims.preferred_username), text(claims.sub)];

/** The ID token's claims, completed from the UserInfo endpoint when it lacks the role claim or a name. */
async function userClaims(config: oidc.Configuration, settings: OidcSettings, idClaims: oidc.IDToken, accessToken: string): Promise<Claims> {
  const hasRole = claimValues(idClaims, settings.mapping.claim).length > 0;
  const hasName = verifiedEmail(idClaims) !== undefined || text(idClaims.preferred_username) !== undefined;
  if ((hasRole && hasName) || !config.serverMetadata().userinfo_endpoint) return idClaims;
  try {
    // The library checks that UserInfo's subject is the ID token's.
    const info = await oidc.fetchUserInfo(config, accessToken, idClaims.sub);
    return { ...info, ...idClaims };
  } catch (error) {
    throw providerError(error, 'callback');
  }
}

async function exchange(settings: OidcSettings, search: string, attemptValue: string | undefined) {
  const attempt = await takeAttempt(attemptValue);
  if (!attempt) throw new OidcError('attempt', attemptValue ? 'the sign-in attempt is unknown, expired or already used' : 'no sign-in attempt cookie');
  const config = await providerConfig(settings);
  // The redirect URI the provider knows, not the address this request reached (a proxy may sit between).
  const callbackUrl = new URL(`${settings.redirectUri}${search}`);
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    return { attempt, claims: await userClaims(config, settings, idClaims, tokens.access_token) };
  } catch (error) {
    throw providerError(error, 'callback');
  }
}

/** Completes the sign-in the provider answered; throws OidcError (audited and logged) when it is refused. */
export async function finishOidcSignIn({ search, attempt, client }: { search: string; attempt: string | undefined; client: string }): Promise<OidcSignedIn> {
  let actor = 'anonymous';
  try {
    const settings = requireSettings();
    const { attempt: started, claims } = await exchange(settings, search, attempt);
    const mapped = mappedRole(claimValues(claims, settings.mapping.claim), settings.mapping);
    const account = await signInOidcAccount(
      {
        issuer: settings.issuer.href,
        subject: String(claims.sub),
        names: accountNames(claims),
        mapped,
      },
      settings.mapping.defaultRole,
    );
    if (!account.ok) {
      actor = account.user?.username ?? actor;
      throw new OidcError(account.reason, `subject ${String(claims.sub)}: ${account.reason}${account.endedSessions ? `, ended ${account.endedSessions} session(s)` : ''}`);
    }
    const { user } = account;
    if (account.created) await audit({ actor: 'oidc', action: 'user.created', target: user.username, details: { role: user.role, via: 'oidc' }, client });
    if (account.previousRole) {
      await audit({ actor: 'oidc', action: 'user.role-changed', target: user.username, details: { from: account.previousRole, to: user.role, via: 'oidc-claim' }, client });
    }
    const session = await createSession(user.id, client);
    await audit({ actor: user.username, action: 'signin.success', target: user.username, details: { via: 'oidc', role: user.role, roleFrom: user.roleSource }, client });
    return { user, ...session, next: started.next };
  } catch (error) {
    if (isStoreUnavailable(error)) throw error;
    const refused = providerError(error, 'callback');
    console.warn(`OpenID Connect sign-in refused (${refused.code}): ${refused.message}`);
    if (refused.code === 'server') console.error(error);
    await audit({ actor, action: 'signin.failure', target: actor === 'anonymous' ? undefined : actor, details: { via: 'oidc', reason: refused.code }, client });
    throw refused;
  }
}

/**
 * The provider's end-session URL, when it offers one: with the console's client_id and where to
 * come back, but never the ID token (id_token_hint), which would put a token in a URL. Never throws.
 */
export async function providerSignOutUrl(): Promise<string | undefined> {
  const settings = oidcSettings();
  if (!settings) return undefined;
  try {
    const config = await providerConfig(settings);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: settings.postLogoutRedirectUri }).href;
  } catch (error) {
    console.warn(`Signed out of the console only; the provider's session stays: ${providerError(error, 'discovery').message}`);
    return undefined;
  }
}

/** At start-up: says in the log whether the provider can be used, without holding the start up. */
export function checkProvider(): void {
  const settings = oidcSettings();
  if (!settings) return;
  providerConfig(settings).then(
    () => console.log(`OpenID Connect: signing in with ${settings.name} (${settings.issuer.href}); redirect URI ${settings.redirectUri}.`),
    (error: unknown) => {
      const failure = providerError(error, 'discovery');
      console.error(`OpenID Connect: ${settings.name} at ${settings.issuer.href} cannot be used yet (${failure.code}): ${failure.message}. Sign-in will try again.`);
    },
  );
}
