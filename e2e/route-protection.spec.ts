// Enumerates every route and every server action of the build and proves the gate holds: each
// non-public one refuses an anonymous caller, each deployer or admin one refuses a viewer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { FORBIDDEN, SIGN_IN_REQUIRED } from '../lib/auth/messages';
import { requiredAccess, type Access } from '../lib/auth/policy';
import { ANONYMOUS, BASE_URL, addUser, storageState } from './support/auth';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, process.env.NEXT_DIST_DIR || '.next');
const SAMPLE_PARAMS: Record<string, string> = { stem: 'lakerunner-vpc', file: 'lakerunner-vpc.yaml', stack: 'vpc' };

const concrete = (route: string) => route.replace(/\[{1,2}(?:\.\.\.)?(\w+)\]{1,2}/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? 'sample');

const ROUTES = Object.values(JSON.parse(readFileSync(join(DIST, 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>)
  .filter((route) => !route.startsWith('/_'))
  .sort();

interface ActionEntry {
  id: string;
  name: string;
  file: string;
  role: Access;
  pages: string[];
}

function actionRole(file: string, name: string): Access {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const start = source.indexOf(`export const ${name} = defineAction(`);
  const match = start < 0 ? null : /\brole: '(\w+)'/.exec(source.slice(start));
  if (!match) throw new Error(`${file}: cannot find the role of ${name}`);
  return match[1] as Access;
}

const manifest = JSON.parse(readFileSync(join(DIST, 'server', 'server-reference-manifest.json'), 'utf8')) as {
  node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
};
const ACTIONS: ActionEntry[] = Object.entries(manifest.node).map(([id, entry]) => ({
  id,
  name: entry.exportedName,
  file: entry.filename,
  role: actionRole(entry.filename, entry.exportedName),
  pages: Object.keys(entry.workers)
    .map((worker) => worker.replace(/^app/, '').replace(/\/page$/, '') || '/')
    .filter((page) => !page.startsWith('/_'))
    .map(concrete),
}));

const PUBLIC_ROUTES = ['/auth/oidc/callback', '/auth/oidc/start', '/healthz', '/icon.svg', '/signin', '/templates/[file]'];

let anonymous: APIRequestContext;
let viewer: APIRequestContext;

test.beforeAll(async ({ playwright }) => {
  anonymous = await playwright.request.newContext({ baseURL: BASE_URL, storageState: ANONYMOUS });
  viewer = await playwright.request.newContext({ baseURL: BASE_URL, storageState: storageState('viewer') });
});
test.afterAll(async () => {
  await anonymous.dispose();
  await viewer.dispose();
});

const post = (context: APIRequestContext, path: string, headers: Record<string, string> = {}, data = '{}') =>
  context.post(path, { maxRedirects: 0, headers: { Origin: BASE_URL, 'Content-Type': 'application/json', ...headers }, data });

test('the build has routes and actions to check, and only sign-in (with OpenID Connect), the health check, the icon and the default templates are public', { tag: '@parallel' }, () => {
  expect(ROUTES.length).toBeGreaterThanOrEqual(10);
  expect(ACTIONS.length).toBeGreaterThanOrEqual(7);
  expect(ROUTES.filter((route) => requiredAccess(concrete(route), 'GET').access === 'public')).toEqual(PUBLIC_ROUTES);
  test.info().annotations.push({
    type: 'counts',
    description: `${ROUTES.length} routes (${ROUTES.length - PUBLIC_ROUTES.length} protected), ${ACTIONS.length} server actions`,
  });
});

for (const route of ROUTES) {
  const path = concrete(route);
  test(`route ${route}`, { tag: '@parallel' }, async () => {
    const get = requiredAccess(path, 'GET').access;
    const anonGet = await anonymous.get(path, { maxRedirects: 0 });
    if (get === 'public' && path.startsWith('/auth/oidc/')) {
      // The shared server has no OpenID Connect provider: back to sign-in with the reason, never an error page.
      expect(anonGet.status(), `anonymous GET ${path}`).toBe(303);
      expect(anonGet.headers().location).toBe('/signin?error=not-configured');
    } else if (get === 'public') {
      expect(anonGet.status(), `anonymous GET ${path}`).toBe(200);
    } else if (path.startsWith('/api/')) {
      expect(anonGet.status(), `anonymous GET ${path}`).toBe(401);
      expect(await anonGet.json()).toEqual({ error: SIGN_IN_REQUIRED });
    } else {
      expect(anonGet.status(), `anonymous GET ${path}`).toBe(303);
      expect(anonGet.headers().location).toMatch(/^\/signin(\?next=|$)/);
    }
    if (requiredAccess(path, 'POST').access !== 'public') {
      expect((await post(anonymous, path)).status(), `anonymous POST ${path}`).toBe(401);
    }

    // A viewer is refused whatever needs more; a viewer's own posts are not sent (one signs out).
    for (const method of ['GET', 'POST'] as const) {
      const access = requiredAccess(path, method).access;
      if (access === 'deployer' || access === 'admin') {
        const response = method === 'GET' ? await viewer.get(path, { maxRedirects: 0 }) : await post(viewer, path);
        expect(response.status(), `viewer ${method} ${path}`).toBe(403);
      } else if (method === 'GET') {
        const response = await viewer.get(path, { maxRedirects: 0 });
        expect([401, 403], `viewer GET ${path}`).not.toContain(response.status());
      }
    }
  });
}

// Next runs an action id posted to any page (it forwards the call to a page that uses it). So each
// action is also posted where the gate lets the caller through (/signin for anonymous callers, /
// for viewers), with input that would succeed: only the refusal may come back, and afterwards the
// store must show that nothing happened.
const TARGET = 'protection-target';
let targetId = '';

function validInput(action: ActionEntry): unknown {
  switch (action.name) {
    case 'createUserAction':
      return { username: 'intruder', role: 'admin' };
    case 'changeRoleAction':
      return { id: targetId, role: 'admin' };
    case 'changePasswordAction':
      return { currentPassword: 'x', newPassword: 'an intruder password', confirmPassword: 'an intruder password' };
    default:
      return { id: targetId };
  }
}

function refused(status: number, body: string, message: string): boolean {
  // 401/403: the gate. The message: defineAction. "{}": Next's answer when the page it forwarded
  // the call to refused it.
  return status === 401 || status === 403 || body.includes(JSON.stringify(message)) || body === '{}';
}

test.describe('server actions', () => {
  test.beforeAll(async ({ browser }) => {
    const admin = await browser.newContext({ storageState: storageState('admin') });
    const page = await admin.newPage();
    await addUser(page, TARGET, 'deployer');
    await page.reload();
    targetId = (await page.getByRole('row').filter({ hasText: TARGET }).locator('input[name="id"]').first().inputValue()) ?? '';
    await admin.close();
  });

  for (const action of ACTIONS.filter((a) => a.role !== 'public')) {
    test(`${action.name} (${action.role}) refuses callers below its role`, { tag: '@parallel' }, async () => {
      const headers = { 'Next-Action': action.id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' };
      const data = JSON.stringify([validInput(action)]);
      if (action.role !== 'public') {
        for (const page of new Set([...action.pages, '/signin'])) {
          const response = await post(anonymous, page, headers, data);
          const body = await response.text();
          expect(refused(response.status(), body, SIGN_IN_REQUIRED), `anonymous on ${page}: ${response.status()} ${body.slice(0, 200)}`).toBe(true);
        }
      }
      if (action.role === 'deployer' || action.role === 'admin') {
        for (const page of new Set([...action.pages, '/'])) {
          const response = await post(viewer, page, headers, data);
          const body = await response.text();
          expect(refused(response.status(), body, FORBIDDEN), `viewer on ${page}: ${response.status()} ${body.slice(0, 200)}`).toBe(true);
        }
      }
    });
  }

  test('nothing the refused calls asked for happened', { tag: '@parallel' }, async ({ browser }) => {
    const admin = await browser.newContext({ storageState: storageState('admin') });
    const page = await admin.newPage();
    await page.goto('/admin/users');
    await expect(page.getByRole('rowheader', { name: /^intruder/ })).toHaveCount(0);
    await expect(page.getByLabel(`Role of ${TARGET}`, { exact: true })).toHaveValue('deployer');
    await expect(page.getByRole('rowheader', { name: new RegExp(`^${TARGET}`) })).toContainText('must choose a password');
    await page.goto('/admin/audit');
    const entries = page.getByRole('row').filter({ hasText: TARGET });
    await expect(entries).toHaveCount(1);
    await expect(entries).toContainText('user.created');
    await admin.close();
  });
});

test('a mutation from another origin is refused even for the admin', { tag: '@parallel' }, async ({ playwright }) => {
  const admin = await playwright.request.newContext({ baseURL: BASE_URL, storageState: storageState('admin') });
  const attempts: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }];
  for (const headers of attempts) {
    const response = await post(admin, '/admin/users', headers);
    expect(response.status(), JSON.stringify(headers)).toBe(403);
  }
  await admin.dispose();
});

test('pages carry the security headers, and the nonce policy lets the app run without violations', { tag: '@parallel' }, async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto('/admin/users');
  const headers = response!.headers();
  const csp = headers['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "script-src 'self' 'nonce-"]) expect(csp).toContain(directive);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  const html = await response!.text();
  const scriptNonces = [...html.matchAll(/<script[^>]*nonce="([^"]+)"/g)].map((m) => m[1]);
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  // The page is interactive (client scripts ran): the create form reports a missing username.
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText('Enter a username.')).toBeVisible();
  for (const path of ['/', '/plan', '/account', '/admin/audit', '/stacks/lakerunner-vpc']) await page.goto(path);
  expect(violations).toEqual([]);
});
