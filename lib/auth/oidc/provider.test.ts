// The library's own errors, produced by openid-client itself (token endpoint answers served through
// its customFetch hook, discovery from a local HTTP server), and the codes the console gives them.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OidcFailure } from './failures';
import { configure, forgetProviderForTests, providerConfig, providerError, providerFormOrigins } from './provider';
import type { OidcSettings } from './settings';

const ISSUER = 'https://idp.example';
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS = { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };
const now = () => Math.floor(Date.now() / 1000);

function idToken(claims: Record<string, unknown>, signer = key.privateKey): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ iss: ISSUER, aud: 'console', sub: 'user-1', iat: now(), exp: now() + 300, nonce: 'n-1', ...claims })).toString('base64url');
  return `${header}.${payload}.${createSign('RSA-SHA256').update(`${header}.${payload}`).sign(signer).toString('base64url')}`;
}

const SETTINGS: OidcSettings = {
  issuer: new URL(ISSUER),
  clientId: 'console',
  clientSecret: 'the secret',
  scope: 'openid',
  name: 'Test IdP',
  redirectUri: 'https://console.example/auth/oidc/callback',
  postLogoutRedirectUri: 'https://console.example/signin',
  mapping: { claim: 'groups', admin: [], deployer: [], defaultRole: 'viewer' },
};

/** The console's client, whose token endpoint answers with `token`; the JWKS is the provider's. */
function client(token: () => Response): oidc.Configuration {
  const config = configure(SETTINGS, { issuer: ISSUER, authorization_endpoint: `${ISSUER}/auth`, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/jwks` });
  config[oidc.customFetch] = async (url) => (url.endsWith('/jwks') ? Response.json(JWKS) : token());
  return config;
}

const tokens = (claims: Record<string, unknown> = {}, signer = key.privateKey) => () =>
  Response.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken(claims, signer) });

/** What the console makes of the callback `query` (undefined: the library accepted it). */
async function outcome(token: () => Response, query = 'code=c-1&state=s-1'): Promise<OidcFailure | undefined> {
  try {
    await oidc.authorizationCodeGrant(client(token), new URL(`https://console.example/auth/oidc/callback?${query}`), {
      expectedState: 's-1',
      expectedNonce: 'n-1',
      pkceCodeVerifier: 'v'.repeat(43),
      idTokenExpected: true,
    });
    return undefined;
  } catch (error) {
    return providerError(error, 'callback').code;
  }
}

describe('providerError: the library refuses, the console names the reason', () => {
  it('accepts a sound answer (so each refusal below is the one change it makes)', async () => {
    expect(await outcome(tokens())).toBeUndefined();
  });

  it.each([
    ['a changed state', tokens(), 'code=c-1&state=s-2', 'state'],
    ['a missing state', tokens(), 'code=c-1', 'state'],
    ['an error from the provider', tokens(), 'error=access_denied&state=s-1', 'denied'],
  ] as const)('%s in the callback', async (_name, token, query, code) => {
    expect(await outcome(token, query)).toBe(code);
  });

  it.each([
    ['another audience', { aud: 'another-app' }, 'audience'],
    ['another issuer', { iss: 'https://evil.example' }, 'issuer'],
    ['an expired token', { iat: now() - 900, exp: now() - 300 }, 'expired'],
    ['another nonce', { nonce: 'n-2' }, 'nonce'],
    ['no nonce', { nonce: undefined }, 'token'],
  ] as const)('an ID token with %s', async (_name, claims, code) => {
    expect(await outcome(tokens(claims))).toBe(code);
  });

  it('an ID token signed by another key (checked although it came straight from the token endpoint)', async () => {
    expect(await outcome(tokens({}, stranger.privateKey))).toBe('token');
  });

  it.each([
    ['a used or expired code', () => Response.json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, { status: 400 }), 'code'],
    ['a wrong client secret, as a challenge', () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic error="invalid_client"' } }), 'client'],
    ['a wrong client secret, in the body', () => Response.json({ error: 'invalid_client' }, { status: 401 }), 'client'],
    ['a bare 401', () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="idp"' } }), 'client'],
    ['another OAuth error', () => Response.json({ error: 'invalid_request' }, { status: 400 }), 'token'],
  ] as const)('a token endpoint refusing %s', async (_name, token, code) => {
    expect(await outcome(token)).toBe(code);
  });

  it('keeps the expected and received audience in the detail for the log, and nothing of the token', async () => {
    try {
      await oidc.authorizationCodeGrant(client(tokens({ aud: 'another-app' })), new URL('https://console.example/cb?code=c-1&state=s-1'), {
        expectedState: 's-1',
        expectedNonce: 'n-1',
      });
      expect.unreachable();
    } catch (error) {
      const refused = providerError(error, 'callback');
      expect(refused.message).toBe('unexpected JWT "aud" (audience) claim value (expected "console", got "another-app")');
      expect(refused.message).not.toMatch(/eyJ/);
    }
  });
});

describe('providerConfig: discovery', () => {
  let server: Server;
  let handler: (request: IncomingMessage, response: ServerResponse) => void;
  let requests = 0;
  let issuer = '';

  const settings = (overrides: Partial<OidcSettings> = {}): OidcSettings => ({ ...SETTINGS, issuer: new URL(issuer), ...overrides });

  const metadata = (extra: Record<string, unknown> = {}) => ({
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    ...extra,
  });

  beforeEach(async () => {
    forgetProviderForTests();
    requests = 0;
    server = createServer((request, response) => {
      requests += 1;
      handler(request, response);
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    forgetProviderForTests();
    await new Promise((closed) => server.close(closed));
  });

  const json = (body: unknown, status = 200) => (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };

  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => providerError(error, 'discovery'));

  it('discovers once an hour, and lets sign-out forms post to the end-session endpoint found there', async () => {
    handler = json(metadata({ end_session_endpoint: 'https://logout.idp.example/end' }));
    const t0 = Date.now();
    const config = await providerConfig(settings(), t0);
    expect(config.serverMetadata().token_endpoint).toBe(`${issuer}/token`);
    expect(await providerConfig(settings(), t0 + 59 * 60_000)).toBe(config);
    expect(requests).toBe(1);
    expect(providerFormOrigins(settings())).toEqual([issuer, 'https://logout.idp.example']);
    expect(providerFormOrigins(undefined)).toEqual([]);
    await providerConfig(settings(), t0 + 61 * 60_000);
    expect(requests).toBe(2);
  });

  it('discovers again when the settings change', async () => {
    handler = json(metadata());
    await providerConfig(settings());
    await providerConfig(settings({ clientSecret: 'a new secret' }));
    expect(requests).toBe(2);
  });

  it('reports a provider nobody answers for as unreachable, and asks again only after 15 seconds', async () => {
    const closed = `${issuer}`;
    await new Promise((done) => server.close(done));
    server = createServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const t0 = Date.now();
    const refused = await failure(providerConfig(settings({ issuer: new URL(closed) }), t0));
    expect(refused).toMatchObject({ code: 'unreachable', message: expect.stringMatching(/^could not connect: .*ECONNREFUSED/) });
    const again = providerConfig(settings({ issuer: new URL(closed) }), t0 + 10_000);
    expect(await failure(again)).toBe(refused);
    expect(await failure(providerConfig(settings({ issuer: new URL(closed) }), t0 + 16_000))).not.toBe(refused);
  });

  it.each([
    ['no discovery document', json({ error: 'not found' }, 404)],
    ['a document for another issuer', json({ issuer: 'https://another.example', authorization_endpoint: 'x', token_endpoint: 'y' })],
    ['a document that is not JSON', (_q: IncomingMessage, r: ServerResponse) => r.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>')],
  ])('reports %s as an unusable discovery document', async (_name, serve) => {
    handler = serve;
    expect((await failure(providerConfig(settings())))?.code).toBe('discovery');
  });

  it('uses client_secret_post only where the provider does not take client_secret_basic', async () => {
    const seen: string[] = [];
    handler = (request, response) => {
      if (request.url === '/.well-known/openid-configuration') return json(metadata({ token_endpoint_auth_methods_supported: ['client_secret_post'] }))(request, response);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push(`${request.headers.authorization ?? 'no header'} | ${new URLSearchParams(body).get('client_secret') ?? 'no body secret'}`);
        json({ error: 'invalid_grant' }, 400)(request, response);
      });
    };
    const config = await providerConfig(settings());
    await oidc.authorizationCodeGrant(config, new URL('https://console.example/cb?code=c&state=s'), { expectedState: 's' }).catch(() => undefined);
    expect(seen).toEqual(['no header | the secret']);
  });
});
