import { describe, expect, it } from 'vitest';
import { ROUTE_POLICY, allows, canOpen, matchesPattern, requiredAccess } from './policy';

describe('matchesPattern', () => {
  it.each([
    ['/', '/', true],
    ['/', '/x', false],
    ['/signin', '/signin', true],
    ['/signin', '/signin/', true],
    ['/signin', '/signin/x', false],
    ['/signin', '/signinx', false],
    ['/stacks/*', '/stacks/lakerunner-vpc', true],
    ['/stacks/*', '/stacks', false],
    ['/stacks/*', '/stacks/', false],
    ['/stacks/*', '/stacks/a/b', false],
    ['/admin/**', '/admin', true],
    ['/admin/**', '/admin/users/42', true],
    ['/admin/**', '/administrator', false],
    ['/admin/**', '/%61dmin/users', true],
    ['/templates/*', '/templates/a%2Fb.yaml', true],
    ['/a/*/c', '/a/b/c', true],
    ['/a/*/c', '/a//c', false],
    ['/x/**', '/x/%E0%A4%A', false],
  ])('%s against %s → %s', (pattern, path, expected) => {
    expect(matchesPattern(pattern, path)).toBe(expected);
  });
});

describe('ROUTE_POLICY', () => {
  it.each([
    ['/signin', 'GET', 'public'],
    ['/signin', 'POST', 'public'],
    ['/_next/static/chunks/app.js', 'GET', 'public'],
    ['/templates/lakerunner-vpc.yaml', 'GET', 'public'],
    ['/', 'GET', 'viewer'],
    ['/stacks/lakerunner-vpc', 'GET', 'viewer'],
    ['/plan', 'POST', 'viewer'],
    ['/api/plan/download', 'GET', 'viewer'],
    ['/api/aws/network', 'GET', 'viewer'],
    ['/deployments', 'GET', 'viewer'],
    ['/deployments/7/events', 'GET', 'viewer'],
    ['/deployments/7', 'POST', 'deployer'],
    ['/deployments', 'DELETE', 'deployer'],
    ['/account', 'POST', 'viewer'],
    ['/account/signout', 'POST', 'viewer'],
    ['/runs/run-1', 'GET', 'viewer'],
    ['/runs/run-1', 'POST', 'deployer'],
    ['/history', 'GET', 'viewer'],
    ['/admin/users', 'GET', 'admin'],
    ['/admin/audit', 'POST', 'admin'],
  ])('%s %s needs %s', (path, method, access) => {
    expect(requiredAccess(path, method)).toEqual({ access, listed: true });
  });

  it('leaves anything unlisted to admins only', () => {
    expect(requiredAccess('/templates/lakerunner-vpc.yaml', 'POST')).toEqual({ access: 'admin', listed: false });
    for (const path of ['/debug', '/api/secret', '/_next/image', '/Admin/users', '/signin/../admin', '/stacks//x']) {
      expect(requiredAccess(path, 'GET')).toEqual({ access: 'admin', listed: false });
    }
  });

  it('makes public only sign-in (with its OpenID Connect routes), the health check, static assets and the default templates', () => {
    const publicPatterns = ROUTE_POLICY.filter((e) => e.access === 'public').map((e) => e.pattern);
    expect(publicPatterns).toEqual(['/signin', '/healthz', '/auth/oidc/*', '/_next/static/**', '/favicon.ico', '/icon.svg', '/robots.txt', '/templates/*']);
    expect(requiredAccess('/auth/oidc/callback', 'GET').access).toBe('public');
    expect(requiredAccess('/auth/oidc/callback', 'POST').access).toBe('admin');
    expect(requiredAccess('/auth/oidc/callback/more', 'GET').access).toBe('admin');
    expect(ROUTE_POLICY.filter((e) => e.access === 'public' && e.pattern !== '/signin').every((e) => e.methods?.every((m) => m === 'GET' || m === 'HEAD'))).toBe(true);
  });

  it('patterns are well formed', () => {
    for (const { pattern } of ROUTE_POLICY) {
      expect(pattern).toMatch(/^\/([\w.-]+|\*|\*\*)?(\/([\w.-]+|\*))*(\/\*\*)?$/);
    }
  });
});

describe('roles', () => {
  it.each([
    ['public', undefined, true],
    ['viewer', undefined, false],
    ['viewer', 'viewer', true],
    ['deployer', 'viewer', false],
    ['deployer', 'admin', true],
    ['admin', 'deployer', false],
  ] as const)('%s allows %s: %s', (access, role, expected) => {
    expect(allows(access, role)).toBe(expected);
  });

  it('navigation shows only what the role may open', () => {
    expect(canOpen('viewer', '/admin/users')).toBe(false);
    expect(canOpen('admin', '/admin/users')).toBe(true);
    expect(canOpen('viewer', '/')).toBe(true);
    expect(canOpen(undefined, '/')).toBe(false);
  });
});
