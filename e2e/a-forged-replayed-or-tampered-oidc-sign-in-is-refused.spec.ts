// Refused OpenID Connect sign-ins, each met by a check of the console's OIDC library against a real
// provider: an answer whose state was changed, a sign-in code used twice, and ID tokens the
// provider signed with its own key but for another audience, from another issuer, already expired
// or with another nonce. Each ends on the sign-in page with its reason, and no session.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { oidcFailureMessage, type OidcFailure } from '../lib/auth/oidc/failures';
import type { IdTokenTampering } from './support/oidc-provider';
import { IDP, accountLink, expectRefused, signInRecord, startOidcConsole, type OidcSetup } from './support/oidc-console';

let setup: OidcSetup;

test.beforeAll(async ({}, testInfo) => {
  setup = await startOidcConsole(testInfo, 22);
});

test.afterAll(async () => {
  await setup?.close();
});

const message = (code: OidcFailure) => oidcFailureMessage(code, IDP);
const isCallback = (url: URL | string) => new URL(url).pathname === '/auth/oidc/callback';

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: setup.url, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

/** Signs `login` in from the sign-in page; returns the page where the console's answer landed. */
async function attemptSignIn(browser: Browser, login: string): Promise<Page> {
  setup.provider.setAccount(login, { email: `${login}@example.com`, groups: ['console-admins'] });
  const page = await freshPage(browser);
  await page.goto('/signin');
  await page.getByRole('link', { name: `Sign in with ${IDP}` }).click();
  await setup.provider.signIn(page, login);
  return page;
}

/** What must not have changed after a refusal: sessions and users; and the refusal is audited. */
async function expectNothingGranted(before: ReturnType<typeof signInRecord>, reason: OidcFailure, login?: string) {
  const after = signInRecord(setup);
  expect(after.sessions).toBe(before.sessions);
  expect(after.usernames).toEqual(before.usernames);
  if (login) expect(after.usernames).not.toContain(`${login}@example.com`);
  expect(after.failures.slice(before.failures.length)).toEqual([{ actor: 'anonymous', reason }]);
}

test('an answer whose state was changed on its way back is refused', { tag: '@parallel' }, async ({ browser }) => {
  const before = signInRecord(setup);
  setup.provider.tamperNextCallback({ state: 'a-state-this-browser-never-sent' });
  const page = await attemptSignIn(browser, 'mallory');
  await expectRefused(page, setup, message('state'));
  await expectNothingGranted(before, 'state', 'mallory');
  await page.context().close();
});

test('a sign-in code is good once: replayed, it is refused by the console and then by the provider', { tag: '@parallel' }, async ({ browser }) => {
  // A genuine sign-in; the callback address (code and state) is what an eavesdropper would keep.
  setup.provider.setAccount('victor', { email: 'victor@example.com', groups: ['console-deployers'] });
  const victim = await freshPage(browser);
  const answered = victim.waitForRequest((request) => isCallback(request.url()));
  await victim.goto('/signin');
  await victim.getByRole('link', { name: `Sign in with ${IDP}` }).click();
  await setup.provider.signIn(victim, 'victor');
  const used = new URL((await answered).url());
  await expect(accountLink(victim, 'victor@example.com', 'deployer')).toBeVisible();
  await victim.context().close();

  // Replayed as it was from another browser: no sign-in of this browser's matches it.
  const before = signInRecord(setup);
  const attacker = await freshPage(browser);
  await attacker.goto(used.href);
  await expectRefused(attacker, setup, message('attempt'));
  await expectNothingGranted(before, 'attempt');

  // Replayed inside a sign-in the attacker started, with that attempt's own state: the state check
  // passes, and the provider refuses the code, which was already exchanged.
  const started = attacker.waitForRequest((request) => request.url().startsWith(`${setup.provider.issuer}/auth?`));
  await attacker.goto('/signin');
  await attacker.getByRole('link', { name: `Sign in with ${IDP}` }).click();
  const state = new URL((await started).url()).searchParams.get('state')!;
  const replay = new URL(used);
  replay.searchParams.set('state', state);
  const second = signInRecord(setup);
  await attacker.goto(replay.href);
  await expectRefused(attacker, setup, message('code'));
  await expectNothingGranted(second, 'code');
  await attacker.context().close();
});

const TAMPERED: { name: string; login: string; claims: () => IdTokenTampering; reason: OidcFailure }[] = [
  { name: 'issued for another application (audience)', login: 'audrey', claims: () => ({ aud: 'another-application' }), reason: 'audience' },
  { name: 'from another issuer', login: 'isaac', claims: () => ({ iss: 'https://another-provider.example' }), reason: 'issuer' },
  {
    name: 'already expired',
    login: 'eliza',
    // Beyond the library's 30 seconds of clock tolerance.
    claims: () => ({ iat: Math.floor(Date.now() / 1000) - 900, exp: Math.floor(Date.now() / 1000) - 300 }),
    reason: 'expired',
  },
  { name: 'made for another sign-in (nonce)', login: 'nora', claims: () => ({ nonce: 'a-nonce-of-another-sign-in' }), reason: 'nonce' },
];

for (const { name, login, claims, reason } of TAMPERED) {
  test(`an ID token ${name}, signed by the provider, is refused`, { tag: '@parallel' }, async ({ browser }) => {
    const before = signInRecord(setup);
    setup.provider.tamperNextIdToken(claims());
    const page = await attemptSignIn(browser, login);
    await expectRefused(page, setup, message(reason));
    await expectNothingGranted(before, reason, login);
    expect(setup.server.output()).toContain(`OpenID Connect sign-in refused (${reason})`);

    // The same person, with an untampered token, signs in: the refusal was the token's alone.
    const again = await attemptSignIn(browser, login);
    await expect(accountLink(again, `${login}@example.com`, 'admin')).toBeVisible();
    await page.context().close();
    await again.context().close();
  });
}
