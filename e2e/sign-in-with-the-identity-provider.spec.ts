// OpenID Connect sign-in against a real provider (oidc-provider, started here): the browser goes to
// the provider and back, groups map to roles at every sign-in, an admin's choice holds for users
// whose groups map to none, and signing out ends the provider's session too.
import { expect, test, type Browser } from '@playwright/test';
import { IDP, accountLink, signInThroughProvider, startOidcConsole, type OidcSetup } from './support/oidc-console';

let setup: OidcSetup;

test.beforeAll(async ({}, testInfo) => {
  setup = await startOidcConsole(testInfo, 21);
});

test.afterAll(async () => {
  await setup?.close();
});

const signIn = (browser: Browser, login: string, path?: string) => signInThroughProvider(setup, browser, login, path);

test('a user signs in through the provider, lands on the page they asked for, and signing out ends the provider session too', { tag: '@parallel' }, async ({ browser }) => {
  setup.provider.setAccount('alice', { email: 'Alice@Example.com', groups: ['console-admins', 'staff'] });

  const page = await signIn(browser, 'alice', '/plan');
  await expect(page).toHaveURL(`${setup.url}/plan`);
  await expect(accountLink(page, 'alice@example.com', 'admin')).toBeVisible();
  const cookies = await page.context().cookies(setup.url);
  expect(cookies.find((c) => c.name === 'lr_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  // The attempt's cookie is gone: its state, nonce and verifier were good for this one answer.
  expect(cookies.find((c) => c.name === 'lr_oidc')).toBeUndefined();
  expect(page.url()).not.toMatch(/code=|state=/);

  await page.goto('/account');
  await expect(page.getByRole('main')).toContainText(`with ${IDP}`);
  await expect(page.getByRole('main')).toContainText('managed by your organization’s single sign-on');

  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  // The console hands over to the provider's end-session endpoint, which asks to confirm.
  await expect(page.getByText(/Do you want to sign-out from/)).toBeVisible();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${setup.url}/signin`);
  expect((await page.context().cookies(setup.url)).find((c) => c.name === 'lr_session')).toBeUndefined();

  // Signing in again means signing in at the provider again: its session ended as well.
  await page.getByRole('link', { name: `Sign in with ${IDP}` }).click();
  await expect(page.locator('input[name="login"]')).toBeVisible();
  await page.context().close();

  // Neither the client secret nor any token or code reached the server's log.
  expect(setup.server.output()).not.toContain(setup.provider.clientSecret);
  expect(setup.server.output()).not.toMatch(/eyJ[\w-]+\.|[?&]code=/);
});

test('groups map to roles, and a user whose groups change gets the new role at their next sign-in', { tag: '@parallel' }, async ({ browser }) => {
  setup.provider.setAccount('bob', { email: 'bob@example.com', groups: ['release-managers'] });
  const first = await signIn(browser, 'bob');
  await expect(accountLink(first, 'bob@example.com', 'deployer')).toBeVisible();
  await first.context().close();

  setup.provider.setAccount('bob', { email: 'bob@example.com', groups: ['console-admins'] });
  const second = await signIn(browser, 'bob');
  await expect(accountLink(second, 'bob@example.com', 'admin')).toBeVisible();
  await second.context().close();

  // Out of every mapped group: the default role, not the admin role the claim gave before.
  setup.provider.setAccount('bob', { email: 'bob@example.com', groups: ['staff'] });
  const third = await signIn(browser, 'bob');
  await expect(accountLink(third, 'bob@example.com', 'viewer')).toBeVisible();
  await third.goto('/admin/users');
  await expect(third.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await third.context().close();

  const { context, page } = await setup.server.signedInAdmin(browser);
  await page.goto('/admin/audit');
  const rows = page.getByRole('row').filter({ hasText: 'bob@example.com' });
  await expect(rows.filter({ hasText: 'signin.success' })).toHaveCount(3);
  await expect(rows.filter({ hasText: 'user.created' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'user.role-changed' })).toHaveCount(2);
  await context.close();
});

test("an admin's role change holds for a user whose groups map to no role, and the users page says where each role comes from", { tag: '@parallel' }, async ({
  browser,
}) => {
  setup.provider.setAccount('carol', { email: 'carol@example.com', groups: ['staff'] });
  setup.provider.setAccount('dan', { email: 'dan@example.com', groups: ['console-deployers'] });
  for (const login of ['carol', 'dan']) await (await signIn(browser, login)).context().close();

  const { context, page } = await setup.server.signedInAdmin(browser);
  await page.goto('/admin/users');
  const carol = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^carol@example\.com/ }) });
  const dan = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^dan@example\.com/ }) });
  await expect(carol.getByRole('rowheader')).toContainText(`sign-in with ${IDP}`);
  await expect(carol).toContainText('The default role: their groups claim maps to no role.');
  await expect(dan).toContainText('From the groups claim at their last sign-in');

  for (const [row, name] of [
    [carol, 'carol@example.com'],
    [dan, 'dan@example.com'],
  ] as const) {
    await page.getByLabel(`Role of ${name}`, { exact: true }).selectOption(name.startsWith('carol') ? 'deployer' : 'viewer');
    await row.getByRole('button', { name: `Change role of ${name}` }).click();
    await expect(row.getByRole('status')).toContainText('Now');
  }
  await page.reload();
  await expect(carol).toContainText('Set by an admin; kept while their groups claim maps to no role.');

  // At their next sign-in carol keeps the admin's choice; dan's groups claim decides again.
  const carolAgain = await signIn(browser, 'carol');
  await expect(accountLink(carolAgain, 'carol@example.com', 'deployer')).toBeVisible();
  await carolAgain.context().close();
  const danAgain = await signIn(browser, 'dan');
  await expect(accountLink(danAgain, 'dan@example.com', 'deployer')).toBeVisible();
  await danAgain.context().close();

  await page.reload();
  await expect(page.getByLabel('Role of carol@example.com', { exact: true })).toHaveValue('deployer');
  await expect(page.getByLabel('Role of dan@example.com', { exact: true })).toHaveValue('deployer');
  await expect(dan).toContainText('From the groups claim at their last sign-in');
  await context.close();
});

test('an email the provider did not verify never names an account; the users page shows the issuer and subject behind each account', { tag: '@parallel' }, async ({ browser }) => {
  // Someone typed the admin's address at the provider without proving it is theirs.
  setup.provider.setAccount('mallory', { email: 'erin@example.com', email_verified: false, preferred_username: 'mallory', groups: ['staff'] });
  const page = await signIn(browser, 'mallory');
  await expect(accountLink(page, 'mallory', 'viewer')).toBeVisible();
  await page.context().close();

  const { context, page: admin } = await setup.server.signedInAdmin(browser);
  await admin.goto('/admin/users');
  await expect(admin.getByRole('rowheader', { name: /^erin@example\.com/ })).toHaveCount(0);
  const mallory = admin.getByRole('rowheader', { name: /^mallory/ });
  await expect(mallory).toContainText(`Issuer${setup.provider.issuer}`);
  await expect(mallory).toContainText('Subjectmallory');
  await context.close();
});
