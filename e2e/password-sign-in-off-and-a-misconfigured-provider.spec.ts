// A console that signs people in with OpenID Connect only (CONSOLE_PASSWORD_SIGNIN=off), and the
// same console pointed at a provider it cannot reach or with a client secret the provider refuses:
// each time a clear sentence on the sign-in page and a line in the server's log, never an error page;
// and one set up half-way, which does not start at all.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PASSWORD_SIGN_IN_OFF } from '../lib/auth/messages';
import { oidcFailureMessage } from '../lib/auth/oidc/failures';
import { ADMIN } from './support/auth';
import { IDP, accountLink, expectRefused, signInRecord, signInThroughProvider, startOidcConsole, type OidcSetup } from './support/oidc-console';

let setup: OidcSetup;

test.beforeAll(async ({}, testInfo) => {
  setup = await startOidcConsole(testInfo, 23, { CONSOLE_PASSWORD_SIGNIN: 'off' });
});

test.afterAll(async () => {
  await setup?.close();
});

/** The id Next gave the sign-in server action in this build (as the route-protection journey finds it). */
function signInActionId(): string {
  const dist = join(__dirname, '..', process.env.NEXT_DIST_DIR || '.next');
  const manifest = JSON.parse(readFileSync(join(dist, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === 'signInAction')?.[0];
  if (!id) throw new Error('signInAction is not in the build');
  return id;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

test('with password sign-in off, only the provider signs people in, and a password sent anyway is refused', { tag: '@parallel' }, async ({ browser, playwright }) => {
  const page = await (await browser.newContext({ baseURL: setup.url, storageState: { cookies: [], origins: [] } })).newPage();
  await page.goto('/signin');
  await expect(page.getByRole('link', { name: `Sign in with ${IDP}` })).toBeVisible();
  await expect(page.getByText('Password sign-in is turned off on this console.')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0);
  await page.context().close();

  // The first admin's correct password, posted straight to the sign-in action, opens nothing.
  const before = signInRecord(setup);
  const api = await playwright.request.newContext({ baseURL: setup.url, storageState: { cookies: [], origins: [] } });
  const response = await api.post('/signin', {
    headers: { 'Next-Action': signInActionId(), Origin: setup.url, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify([{ username: ADMIN.username, password: ADMIN.password }]),
  });
  expect(await response.text()).toContain(JSON.stringify(PASSWORD_SIGN_IN_OFF));
  expect((await api.storageState()).cookies.map((c) => c.name)).not.toContain('lr_session');
  expect(signInRecord(setup).sessions).toBe(before.sessions);
  await api.dispose();

  // Admins come through the provider too, and the users page offers no passwords to hand out.
  setup.provider.setAccount('olga', { email: 'olga@example.com', groups: ['console-admins'] });
  const admin = await signInThroughProvider(setup, browser, 'olga', '/admin/users');
  await expect(accountLink(admin, 'olga@example.com', 'admin')).toBeVisible();
  await expect(admin.getByText('Password sign-in is turned off, so no users are added here.')).toBeVisible();
  await expect(admin.getByRole('form', { name: 'Add a user' })).toHaveCount(0);
  await expect(admin.getByRole('button', { name: /^Reset password of/ })).toHaveCount(0);
  await expect(admin.getByRole('button', { name: 'Sign out olga@example.com everywhere' })).toBeVisible();
  await admin.context().close();
});

test('a provider the console cannot reach gets a clear message on the sign-in page and in the log', { tag: '@parallel' }, async ({ browser }) => {
  const issuer = `http://127.0.0.1:${await closedPort()}`;
  await setup.server.stop();
  await setup.server.start({ ...setup.env, CONSOLE_PASSWORD_SIGNIN: 'on', CONSOLE_OIDC_ISSUER: issuer });
  await expect.poll(() => setup.server.output()).toContain(`OpenID Connect: ${IDP} at ${issuer}/ cannot be used yet (unreachable)`);

  const page = await (await browser.newContext({ baseURL: setup.url, storageState: { cookies: [], origins: [] } })).newPage();
  const statuses: number[] = [];
  page.on('response', (response) => statuses.push(response.status()));
  await page.goto('/signin?next=/plan');
  await page.getByRole('link', { name: `Sign in with ${IDP}` }).click();
  await expectRefused(page, setup, oidcFailureMessage('unreachable', IDP));
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  // The page the user was going to is kept for the next try, and passwords still work.
  await expect(page).toHaveURL(/[?&]next=%2Fplan/);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(`${setup.url}/plan`);
  expect(setup.server.output()).toMatch(/OpenID Connect sign-in could not start \(unreachable\): could not connect: .*ECONNREFUSED/);
  await page.context().close();
});

test('a client secret the provider refuses gets a clear message on the sign-in page and in the log', { tag: '@parallel' }, async ({ browser }) => {
  await setup.server.stop();
  await setup.server.start({ ...setup.env, CONSOLE_OIDC_CLIENT_SECRET: 'not-the-secret-the-provider-issued' });
  setup.provider.setAccount('pat', { email: 'pat@example.com', groups: ['console-admins'] });
  const before = signInRecord(setup);
  const page = await signInThroughProvider(setup, browser, 'pat');
  await expectRefused(page, setup, oidcFailureMessage('client', IDP));
  expect(setup.server.output()).toContain('OpenID Connect sign-in refused (client): the token endpoint answered 401 invalid_client');
  expect(setup.server.output()).not.toContain('not-the-secret-the-provider-issued');
  expect(signInRecord(setup).sessions).toBe(before.sessions);
  await page.context().close();
});

test('a provider set up half-way stops the console at start-up with the missing settings named, instead of error pages', { tag: '@parallel' }, async () => {
  await setup.server.stop();
  const halfWay = Object.fromEntries(Object.entries(setup.env).filter(([key]) => key !== 'CONSOLE_OIDC_CLIENT_ID' && key !== 'CONSOLE_PUBLIC_URL'));
  await expect(setup.server.start(halfWay)).rejects.toThrow(/the console exited with 1/);
  expect(setup.server.output()).toContain('Invalid console configuration:');
  expect(setup.server.output()).toContain('CONSOLE_OIDC_CLIENT_ID: required with CONSOLE_OIDC_ISSUER');
  expect(setup.server.output()).toContain('CONSOLE_PUBLIC_URL: required with CONSOLE_OIDC_ISSUER: the redirect URI is <CONSOLE_PUBLIC_URL>/auth/oidc/callback');
  expect(setup.server.output()).not.toContain(setup.provider.clientSecret);
});
