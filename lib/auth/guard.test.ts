import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { guard } from './guard';
import { BAD_ORIGIN, FORBIDDEN, PASSWORD_CHANGE_REQUIRED, SIGN_IN_REQUIRED } from './messages';
import type { Role } from './roles';
import { SESSION_COOKIE, createSession } from './sessions';
import { createUser } from './users';

const store = setupTempStore();
const ORIGIN = 'http://127.0.0.1:3123';

afterEach(async () => vi.restoreAllMocks());

async function tokenFor(role: Role, mustChangePassword = false): Promise<string> {
  const user = await createUser({ username: `${role}-user`, role, password: 'a long password', mustChangePassword });
  return (await createSession(user.id, undefined)).token;
}

function request(path: string, init: { method?: string; token?: string; origin?: string | null; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('cookie', `${SESSION_COOKIE}=${init.token}`);
  const method = init.method ?? 'GET';
  if (method !== 'GET' && init.origin !== null) headers.set('origin', init.origin ?? ORIGIN);
  headers.set('host', '127.0.0.1:3123');
  return new NextRequest(new URL(path, ORIGIN), { method, headers });
}

function passed(response: Response): boolean {
  return response.headers.get('x-middleware-next') === '1';
}

describe('guard: public paths', () => {
  it('lets anyone reach sign-in, static assets and templates, with a nonce CSP', async () => {
    for (const path of ['/signin', '/_next/static/chunks/main.js', '/templates/lakerunner-vpc.yaml']) {
      const response = await guard(request(path));
      expect(passed(response)).toBe(true);
      const csp = response.headers.get('content-security-policy')!;
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      // Next reads the nonce from the CSP request header it is given.
      expect(response.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
      expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    }
  });

  it('uses a fresh nonce per request and a strict policy', async () => {
    const a = (await guard(request('/signin'))).headers.get('content-security-policy')!;
    const b = (await guard(request('/signin'))).headers.get('content-security-policy')!;
    expect(a).not.toBe(b);
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "default-src 'self'", "form-action 'self'"]) {
      expect(a).toContain(directive);
    }
    expect(a).not.toContain('unsafe-eval');
    expect(a).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('still checks Origin on a public form', async () => {
    const response = await guard(request('/signin', { method: 'POST', origin: 'https://evil.example' }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: BAD_ORIGIN });
  });
});

describe('guard: anonymous callers', () => {
  it('are sent to sign in from pages, with the way back', async () => {
    const response = await guard(request('/admin/users?page=2'));
    expect(response.status).toBe(303);
    // Next turns same-origin redirects from the proxy into relative ones; the path is what counts.
    const location = new URL(response.headers.get('location')!);
    expect(`${location.pathname}${location.search}`).toBe('/signin?next=%2Fadmin%2Fusers%3Fpage%3D2');
  });

  it('get 401 JSON from APIs and server actions', async () => {
    const api = await guard(request('/api/plan/x'));
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: SIGN_IN_REQUIRED });
    const action = await guard(request('/admin/users', { method: 'POST', headers: { 'next-action': 'abc' } }));
    expect(action.status).toBe(401);
  });

  it('cannot use a made-up or expired session cookie', async () => {
    const response = await guard(request('/api/plan/x', { token: 'A'.repeat(43) }));
    expect(response.status).toBe(401);
  });
});

describe('guard: signed-in callers', () => {
  it('pass where their role allows', async () => {
    const viewer = await tokenFor('viewer');
    expect(passed(await guard(request('/', { token: viewer })))).toBe(true);
    expect(passed(await guard(request('/stacks/lakerunner-vpc', { token: viewer })))).toBe(true);
    expect(passed(await guard(request('/account', { method: 'POST', token: viewer })))).toBe(true);
  });

  it('get a 403 page or 403 JSON above their role', async () => {
    const viewer = await tokenFor('viewer');
    const page = await guard(request('/admin/users', { token: viewer }));
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain(FORBIDDEN.replace("'", '&#39;'));
    const mutation = await guard(request('/deployments/1', { method: 'POST', token: viewer }));
    expect(mutation.status).toBe(403);
    expect(await mutation.json()).toEqual({ error: FORBIDDEN });
  });

  it('a deployer may mutate deployments but not administer', async () => {
    const deployer = await tokenFor('deployer');
    expect(passed(await guard(request('/deployments/1', { method: 'POST', token: deployer })))).toBe(true);
    expect((await guard(request('/admin/audit', { token: deployer }))).status).toBe(403);
  });

  it('unlisted paths are for admins only, and logged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const deployer = await tokenFor('deployer');
    expect((await guard(request('/something-new', { token: deployer }))).status).toBe(403);
    const admin = await tokenFor('admin');
    expect(passed(await guard(request('/something-new', { token: admin })))).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('No ROUTE_POLICY entry matches GET /something-new'));
  });

  it('must replace a one-time password before anything but their account page', async () => {
    const token = await tokenFor('admin', true);
    const page = await guard(request('/admin/users', { token }));
    expect(page.status).toBe(303);
    expect(new URL(page.headers.get('location')!).pathname).toBe('/account');
    const api = await guard(request('/api/plan/x', { token }));
    expect(await api.json()).toEqual({ error: PASSWORD_CHANGE_REQUIRED });
    expect(passed(await guard(request('/account', { method: 'POST', token })))).toBe(true);
  });

  it('mutations without a matching Origin are refused before anything else', async () => {
    const admin = await tokenFor('admin');
    for (const origin of [null, 'null', 'http://127.0.0.1:9999', 'https://127.0.0.1:3123']) {
      const response = await guard(request('/admin/users', { method: 'POST', token: admin, origin }));
      expect(response.status).toBe(403);
    }
  });
});

describe('guard: store faults', () => {
  it('answer 503 with the operator message instead of failing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    writeFileSync(join(store.dir(), 'blocker'), '');
    process.env.CONSOLE_DATA_DIR = join(store.dir(), 'blocker', 'data');
    resetEnvForTests();
    const token = 'A'.repeat(43);
    const page = await guard(request('/', { token }));
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('CONSOLE_DATA_DIR');
    const api = await guard(request('/api/plan/x', { token }));
    expect(api.status).toBe(503);
    expect((await api.json()).error).toMatch(/data store .* cannot be used/);
  });
});

describe('guard: trusted-proxy header', () => {
  afterEach(async () => {
    delete process.env.CONSOLE_TRUSTED_PROXY_HEADER;
    delete process.env.CONSOLE_TRUSTED_PROXY_IPS;
    resetEnvForTests();
  });

  it('is removed before the page sees it when it did not come from a trusted proxy', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    process.env.CONSOLE_TRUSTED_PROXY_HEADER = 'X-Forwarded-Email';
    process.env.CONSOLE_TRUSTED_PROXY_IPS = '127.0.0.2';
    resetEnvForTests();
    const response = await guard(request('/signin', { headers: { 'x-forwarded-email': 'admin@example.com', 'x-other': '1' } }));
    expect(passed(response)).toBe(true);
    const kept = response.headers.get('x-middleware-override-headers')!.split(',');
    expect(kept).toContain('x-other');
    expect(kept).not.toContain('x-forwarded-email');
    // And it signs nobody in on a protected page.
    expect((await guard(request('/', { headers: { 'x-forwarded-email': 'admin@example.com' } }))).status).toBe(303);
  });
});
