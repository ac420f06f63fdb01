import { afterEach, describe, expect, it } from 'vitest';
import { env, resetEnvForTests } from './env';

const OIDC = {
  CONSOLE_PUBLIC_URL: 'https://console.example.com',
  CONSOLE_OIDC_ISSUER: 'https://sso.example.com/realms/acme',
  CONSOLE_OIDC_CLIENT_ID: 'lakerunner-console',
};

const saved = { ...process.env };

function withEnv(values: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (key.startsWith('CONSOLE_')) delete process.env[key];
  Object.assign(process.env, values);
  resetEnvForTests();
  return env;
}

afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe('env: OpenID Connect settings', () => {
  it('has defaults for everything but the provider and the client', () => {
    expect(withEnv(OIDC)()).toMatchObject({
      CONSOLE_OIDC_SCOPES: ['openid', 'email', 'profile'],
      CONSOLE_OIDC_NAME: 'single sign-on',
      CONSOLE_OIDC_ROLE_CLAIM: 'groups',
      CONSOLE_OIDC_ADMIN_VALUES: [],
      CONSOLE_OIDC_DEFAULT_ROLE: 'viewer',
      CONSOLE_PASSWORD_SIGNIN: 'on',
    });
    expect(withEnv({ ...OIDC, CONSOLE_OIDC_SCOPES: 'openid,email groups', CONSOLE_OIDC_ADMIN_VALUES: 'a, b' })()).toMatchObject({
      CONSOLE_OIDC_SCOPES: ['openid', 'email', 'groups'],
      CONSOLE_OIDC_ADMIN_VALUES: ['a', 'b'],
    });
  });

  it.each([
    ['an issuer without a client ID', { CONSOLE_PUBLIC_URL: OIDC.CONSOLE_PUBLIC_URL, CONSOLE_OIDC_ISSUER: OIDC.CONSOLE_OIDC_ISSUER }, /CONSOLE_OIDC_CLIENT_ID: required with CONSOLE_OIDC_ISSUER/],
    ['an issuer without the public URL', { CONSOLE_OIDC_ISSUER: OIDC.CONSOLE_OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID: 'c' }, /CONSOLE_PUBLIC_URL: required with CONSOLE_OIDC_ISSUER/],
    ['a client ID without an issuer', { CONSOLE_OIDC_CLIENT_ID: 'c' }, /CONSOLE_OIDC_ISSUER: required with CONSOLE_OIDC_CLIENT_ID/],
    ['a plain-http issuer elsewhere than on localhost', { ...OIDC, CONSOLE_OIDC_ISSUER: 'http://sso.example.com' }, /must be an https URL/],
    ['scopes without openid', { ...OIDC, CONSOLE_OIDC_SCOPES: 'email profile' }, /must include openid/],
    ['a default role other than viewer or none', { ...OIDC, CONSOLE_OIDC_DEFAULT_ROLE: 'admin' }, /CONSOLE_OIDC_DEFAULT_ROLE/],
    ['password sign-in off with no other way in', { CONSOLE_PASSWORD_SIGNIN: 'off' }, /CONSOLE_PASSWORD_SIGNIN: off needs another way to sign in/],
  ])('refuses %s at start-up, naming the variable', (_name, values, message) => {
    expect(withEnv(values)).toThrow(message);
  });

  it('accepts http on a loopback issuer, and password sign-in off with a provider or a trusted proxy', () => {
    expect(withEnv({ ...OIDC, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:4444' })().CONSOLE_OIDC_ISSUER).toBe('http://127.0.0.1:4444');
    expect(withEnv({ ...OIDC, CONSOLE_PASSWORD_SIGNIN: 'off' })().CONSOLE_PASSWORD_SIGNIN).toBe('off');
    expect(withEnv({ CONSOLE_PASSWORD_SIGNIN: 'off', CONSOLE_TRUSTED_PROXY_HEADER: 'X-Forwarded-Email' })().CONSOLE_PASSWORD_SIGNIN).toBe('off');
  });
});

describe('env: the secrets key', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');
  const OTHER = Buffer.alloc(32, 9).toString('base64');
  const HOW = 'must be 32 random bytes in base64 \\(44 characters ending in =\\); make one with: openssl rand -base64 32';

  it('is optional, and is 32 bytes in base64 as openssl rand -base64 32 prints them', () => {
    expect(withEnv({})().CONSOLE_SECRETS_KEY).toBeUndefined();
    expect(withEnv({ CONSOLE_SECRETS_KEY: KEY })().CONSOLE_SECRETS_KEY).toBe(KEY);
    expect(withEnv({ CONSOLE_SECRETS_KEY: `  ${KEY}\n` })().CONSOLE_SECRETS_KEY).toBe(KEY);
  });

  it.each([
    ['too short', 'short'],
    ['a long passphrase', 'k'.repeat(44)],
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['64 bytes', Buffer.alloc(64, 1).toString('base64')],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['hex', Buffer.alloc(32, 1).toString('hex')],
  ])('refuses %s at start-up, saying how to make a key', (_, value) => {
    expect(withEnv({ CONSOLE_SECRETS_KEY: value })).toThrow(new RegExp(`CONSOLE_SECRETS_KEY: CONSOLE_SECRETS_KEY ${HOW}`));
  });

  it('takes the previous key of a rotation only with a new one, and not the same one', () => {
    expect(withEnv({ CONSOLE_SECRETS_KEY: KEY, CONSOLE_SECRETS_KEY_PREVIOUS: OTHER })().CONSOLE_SECRETS_KEY_PREVIOUS).toBe(OTHER);
    expect(withEnv({ CONSOLE_SECRETS_KEY_PREVIOUS: OTHER })).toThrow(/CONSOLE_SECRETS_KEY: required with CONSOLE_SECRETS_KEY_PREVIOUS/);
    expect(withEnv({ CONSOLE_SECRETS_KEY: KEY, CONSOLE_SECRETS_KEY_PREVIOUS: KEY })).toThrow(/CONSOLE_SECRETS_KEY_PREVIOUS: is the same as CONSOLE_SECRETS_KEY/);
    expect(withEnv({ CONSOLE_SECRETS_KEY: KEY, CONSOLE_SECRETS_KEY_PREVIOUS: 'old passphrase of thirty-two characters' })).toThrow(new RegExp(`CONSOLE_SECRETS_KEY_PREVIOUS ${HOW}`));
  });

  it('keeps secret values of runs awaiting approval 24 hours unless told otherwise', () => {
    expect(withEnv({})().CONSOLE_RUN_SECRETS_TTL_HOURS).toBe(24);
    expect(withEnv({ CONSOLE_RUN_SECRETS_TTL_HOURS: '2' })().CONSOLE_RUN_SECRETS_TTL_HOURS).toBe(2);
    expect(withEnv({ CONSOLE_RUN_SECRETS_TTL_HOURS: '0' })).toThrow(/CONSOLE_RUN_SECRETS_TTL_HOURS/);
  });
});
