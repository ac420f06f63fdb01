import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isHttps, originAllowed } from './headers';

const url = new URL('http://localhost:3000/admin/users');

describe('originAllowed', () => {
  it.each([
    ['the server URL', { origin: 'http://localhost:3000' }, undefined, true],
    ['the Host it was sent to', { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }, undefined, true],
    ['the public URL behind a proxy', { origin: 'https://console.example.com', host: 'internal:3000' }, 'https://console.example.com/', true],
    ['the forwarded host and protocol', { origin: 'https://console.example.com', 'x-forwarded-host': 'console.example.com', 'x-forwarded-proto': 'https' }, undefined, true],
    ['another site', { origin: 'https://evil.example', host: 'localhost:3000' }, undefined, false],
    ['the same host over another protocol', { origin: 'https://localhost:3000', host: 'localhost:3000' }, undefined, false],
    ['a missing Origin', { host: 'localhost:3000' }, undefined, false],
    ['Origin null (sandboxed frame, file:)', { origin: 'null', host: 'localhost:3000' }, undefined, false],
    ['Origin null from a cross-site page', { origin: 'null', 'sec-fetch-site': 'cross-site' }, undefined, false],
    ['Origin null from our own form (no-referrer policy)', { origin: 'null', 'sec-fetch-site': 'same-origin' }, undefined, true],
    ['no Origin even if marked same-origin', { 'sec-fetch-site': 'same-origin' }, undefined, false],
    ['a look-alike', { origin: 'http://localhost:3000.evil.example', host: 'localhost:3000' }, undefined, false],
  ])('%s → %s', (_name, headers, publicUrl, expected) => {
    expect(originAllowed(new Headers(headers as Record<string, string>), url, publicUrl)).toBe(expected);
  });
});

describe('isHttps', () => {
  it('is true for an https public URL or forwarded https, false otherwise', () => {
    expect(isHttps(new Headers(), url, 'https://console.example.com')).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }), url, undefined)).toBe(true);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'http' }), url, 'http://console.local')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows eval and inline styles only in development, and upgrades requests only over https', () => {
    const prod = contentSecurityPolicy('n0nce', { dev: false, https: false });
    const dev = contentSecurityPolicy('n0nce', { dev: true, https: true });
    expect(prod).toContain("script-src 'self' 'nonce-n0nce' 'strict-dynamic'");
    expect(prod).toContain("style-src 'self' 'nonce-n0nce'");
    expect(prod).not.toMatch(/unsafe-eval|upgrade-insecure-requests/);
    expect(dev).toContain("'unsafe-eval'");
    expect(dev).toContain('upgrade-insecure-requests');
  });

  it("lets forms post only to the console, and to the identity provider's origins when given (sign-out redirects there)", () => {
    expect(contentSecurityPolicy('n', { dev: false, https: true })).toContain("form-action 'self';");
    const withProvider = contentSecurityPolicy('n', { dev: false, https: true, formTargets: ['https://sso.example.com', 'https://logout.example.com'] });
    expect(withProvider).toContain("form-action 'self' https://sso.example.com https://logout.example.com;");
  });
});
