import { describe, expect, it } from 'vitest';
import { OidcError, isOidcError, isOidcFailure, oidcFailureMessage } from './failures';

describe('OpenID Connect failures', () => {
  it('knows only its own codes, so the sign-in page shows no text taken from the URL', () => {
    for (const code of ['state', 'code', 'audience', 'issuer', 'expired', 'nonce', 'client', 'unreachable']) expect(isOidcFailure(code)).toBe(true);
    for (const value of ['', 'constructor', '__proto__', 'toString', 'STATE', 'state ', undefined, 7]) expect(isOidcFailure(value)).toBe(false);
  });

  it('names the provider and says what to do', () => {
    expect(oidcFailureMessage('client', 'Okta')).toBe(
      "Okta refused the console's client credentials. An admin should check CONSOLE_OIDC_CLIENT_ID and CONSOLE_OIDC_CLIENT_SECRET against the app registered there.",
    );
    expect(oidcFailureMessage('unreachable', 'Okta')).toMatch(/^The console could not reach Okta\. .*CONSOLE_OIDC_ISSUER/);
    expect(oidcFailureMessage('state', 'Okta')).toMatch(/Start again/);
  });

  it('recognizes its errors by name, also when they come from another copy of the module', () => {
    expect(isOidcError(new OidcError('nonce', 'detail'))).toBe(true);
    const foreign = Object.assign(new Error('detail'), { name: 'OidcError', code: 'expired' });
    expect(isOidcError(foreign)).toBe(true);
    expect(isOidcError(Object.assign(new Error('x'), { name: 'OidcError', code: 'made-up' }))).toBe(false);
    expect(isOidcError(new Error('x'))).toBe(false);
  });
});
