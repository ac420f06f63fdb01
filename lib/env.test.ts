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
  it('is optional, and refused at start-up when too short to be a key, with how to make one', () => {
    expect(withEnv({})().CONSOLE_SECRETS_KEY).toBeUndefined();
    expect(withEnv({ CONSOLE_SECRETS_KEY: 'k'.repeat(32) })().CONSOLE_SECRETS_KEY).toBe('k'.repeat(32));
    expect(withEnv({ CONSOLE_SECRETS_KEY: 'short' })).toThrow(/CONSOLE_SECRETS_KEY: CONSOLE_SECRETS_KEY must be at least 32 characters \(openssl rand -base64 32\)/);
  });
});
