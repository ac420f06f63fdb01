// A real OpenID Connect provider for the sign-in journeys: oidc-provider on an ephemeral loopback
// port, with the console registered as a confidential client, accounts whose claims a journey sets
// (the login typed at its sign-in page is the account id), and switches that make it misbehave
// once: an ID token with a wrong claim, signed with its own key, so that only the console's library
// checks can refuse it; or an answer sent back to the console with parameters changed on the way.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page } from '@playwright/test';
import Provider from 'oidc-provider';

export interface AccountClaims {
  email?: string;
  /** Whether the provider verified the email (true unless a journey says otherwise). */
  email_verified?: boolean;
  preferred_username?: string;
  groups?: string[];
}

/** Claims the next ID token gets instead of the right ones. */
export type IdTokenTampering = Partial<Record<'aud' | 'iss' | 'exp' | 'iat' | 'nonce', string | number>>;

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Sets an account's claims; they apply from its next sign-in. */
  setAccount(login: string, claims: AccountClaims): void;
  /** The next ID token the token endpoint returns carries these claims instead. */
  tamperNextIdToken(claims: IdTokenTampering): void;
  /** The next redirect back to the console's callback carries these parameters instead. */
  tamperNextCallback(parameters: Record<string, string>): void;
  /**
   * At the provider's (development) sign-in page, which the page must show: any password works, and
   * the console, a first-party app, is not asked for consent. Waits until the browser has left the provider.
   */
  signIn(page: Page, login: string): Promise<void>;
  close(): Promise<void>;
}

const KEY_ID = 'e2e-signing-key';
const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export async function startTestProvider({ consoleUrl, name = 'console' }: { consoleUrl: string; name?: string }): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const accounts = new Map<string, AccountClaims>();
  let tampering: IdTokenTampering | undefined;
  let callbackTampering: Record<string, string> | undefined;
  const clientSecret = `${name}-client-secret-for-e2e`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: name,
        client_secret: clientSecret,
        redirect_uris: [`${consoleUrl}/auth/oidc/callback`],
        post_logout_redirect_uris: [`${consoleUrl}/signin`],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: KEY_ID, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['e2e-provider-cookie-key'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'], groups: ['groups'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email_verified: true, ...accounts.get(sub) }),
    }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    // A first-party app: grant what it asks for instead of showing a consent page.
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const existing = oidc.session?.grantIdFor(oidc.client!.clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope([...oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
  });

  // Browsers follow redirects without letting a test change them, so the provider does it.
  provider.use(async (ctx, next) => {
    await next();
    const location = ctx.response.get('location') || '';
    if (!callbackTampering || !location.startsWith(`${consoleUrl}/auth/oidc/callback?`)) return;
    const changed = new URL(location);
    for (const [key, value] of Object.entries(callbackTampering)) changed.searchParams.set(key, value);
    callbackTampering = undefined;
    ctx.redirect(changed.href);
  });
  // After the token endpoint has answered: swap the ID token for a re-signed one with wrong claims.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || !tampering || typeof body?.id_token !== 'string') return;
    const [header, payload] = body.id_token.split('.');
    const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), ...tampering };
    tampering = undefined;
    const input = `${header}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey);
    ctx.body = { ...body, id_token: `${input}.${base64url(signature)}` };
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientId: name,
    clientSecret,
    setAccount: (login, claims) => accounts.set(login, claims),
    tamperNextIdToken: (claims) => {
      tampering = claims;
    },
    tamperNextCallback: (parameters) => {
      callbackTampering = parameters;
    },
    async signIn(page, login) {
      await expect(page).toHaveURL(new RegExp(`^${issuer}/interaction/`));
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill('any password works here');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.waitForURL((url) => url.origin !== issuer);
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
