// Trusted-proxy single sign-on: the e2e server trusts X-Forwarded-Email only from 127.0.0.2.
// Playwright cannot choose its source address, so these journeys speak HTTP from node directly.
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { BASE_URL, TRUSTED_PROXY, storageState } from './support/auth';

interface Answer {
  status: number;
  location?: string;
  body: string;
}

function get(path: string, { from, headers }: { from: string; headers: Record<string, string> }): Promise<Answer> {
  const url = new URL(path, BASE_URL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, localAddress: from, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a user arriving through the trusted proxy is signed in by its header, created on first sight as a viewer', { tag: '@parallel' }, async ({ browser }) => {
  const page = await get('/', { from: TRUSTED_PROXY.address, headers: { [TRUSTED_PROXY.header]: 'Sso.Person@Example.com' } });
  expect(page.status).toBe(200);
  expect(page.body).toContain('sso.person@example.com');
  expect(page.body).toContain('single sign-on');

  // Viewer is the configured role for newcomers: the users page stays closed to them.
  const admin = await get('/admin/users', { from: TRUSTED_PROXY.address, headers: { [TRUSTED_PROXY.header]: 'sso.person@example.com' } });
  expect(admin.status).toBe(403);

  const context = await browser.newContext({ storageState: storageState('admin') });
  const users = await context.newPage();
  await users.goto('/admin/users');
  await expect(users.getByRole('rowheader', { name: /sso\.person@example\.com/ })).toContainText('single sign-on');
  await expect(users.getByLabel('Role of sso.person@example.com', { exact: true })).toHaveValue('viewer');
  await context.close();
});

test('the same header from any other address is ignored, whatever X-Forwarded-For claims', { tag: '@parallel' }, async () => {
  const forged = await get('/admin/users', {
    from: '127.0.0.1',
    headers: { [TRUSTED_PROXY.header]: 'admin@example.com', 'X-Forwarded-For': TRUSTED_PROXY.address, 'X-Real-IP': TRUSTED_PROXY.address },
  });
  expect(forged.status).toBe(303);
  expect(forged.location).toMatch(/^\/signin\?next=/);
  const claimedPeer = await get('/', {
    from: '127.0.0.1',
    headers: { [TRUSTED_PROXY.header]: 'admin@example.com', 'x-lakerunner-peer-address': TRUSTED_PROXY.address },
  });
  expect(claimedPeer.status).toBe(303);
});
