// A console of its own set up for OpenID Connect against a test provider, the browser steps every
// OIDC journey repeats, and what its store says about sign-ins (sessions, users, audit entries).
import { join } from 'node:path';
import { expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import Database from 'better-sqlite3';
import { PORT } from './auth';
import { startTestProvider, type TestProvider } from './oidc-provider';
import { ownConsole, type OwnConsole } from './own-console';

export const IDP = 'Test IdP';

export interface OidcSetup {
  readonly url: string;
  readonly provider: TestProvider;
  readonly server: OwnConsole;
  /** The settings the console was started with, to start it again with some changed. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** A provider, and a console on E2E_PORT + offset that signs in with it (admin group console-admins). */
export async function startOidcConsole(testInfo: TestInfo, offset: number, env: Record<string, string> = {}): Promise<OidcSetup> {
  const url = `http://127.0.0.1:${PORT + offset}`;
  const provider = await startTestProvider({ consoleUrl: url });
  const settings = {
    CONSOLE_PUBLIC_URL: url,
    CONSOLE_OIDC_ISSUER: provider.issuer,
    CONSOLE_OIDC_CLIENT_ID: provider.clientId,
    CONSOLE_OIDC_CLIENT_SECRET: provider.clientSecret,
    CONSOLE_OIDC_SCOPES: 'openid email profile groups',
    CONSOLE_OIDC_NAME: IDP,
    CONSOLE_OIDC_ADMIN_VALUES: 'console-admins',
    CONSOLE_OIDC_DEPLOYER_VALUES: 'console-deployers,release-managers',
    ...env,
  };
  const server = await ownConsole(testInfo.outputPath(), { portOffset: offset, timeScale: 0.002, env: settings });
  return {
    url,
    provider,
    server,
    env: settings,
    async close() {
      await server.stop();
      await provider.close();
    },
  };
}

/** A fresh browser (no provider session yet) that opens `path` and signs in through the provider. */
export async function signInThroughProvider(setup: OidcSetup, browser: Browser, login: string, path = '/'): Promise<Page> {
  const context = await browser.newContext({ baseURL: setup.url, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(path);
  await page.getByRole('link', { name: `Sign in with ${IDP}` }).click();
  await setup.provider.signIn(page, login);
  return page;
}

export const accountLink = (page: Page, username: string, role: string) => page.getByRole('link', { name: `Your account: ${username}, ${role}` });

export interface SignInRecord {
  readonly sessions: number;
  readonly usernames: readonly string[];
  readonly failures: readonly { actor: string; reason: string }[];
}

/** Sessions, users and OIDC sign-in failures, as the console's store holds them. */
export function signInRecord(setup: OidcSetup): SignInRecord {
  const db = new Database(join(setup.server.dataDir, 'console.db'), { readonly: true, fileMustExist: true });
  try {
    return {
      sessions: db.prepare('SELECT count(*) FROM sessions').pluck().get() as number,
      usernames: db.prepare('SELECT username FROM users ORDER BY id').pluck().all() as string[],
      failures: db
        .prepare<[], { actor: string; details: string }>("SELECT actor, details FROM audit_log WHERE action = 'signin.failure' ORDER BY id")
        .all()
        .map((row) => ({ actor: row.actor, reason: (JSON.parse(row.details) as { reason: string }).reason })),
    };
  } finally {
    db.close();
  }
}

/** The sign-in page after a refused sign-in: the reason, announced, and no session cookie. */
export async function expectRefused(page: Page, setup: OidcSetup, message: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${setup.url}/signin\\?error=`));
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(message);
  await expect(page.getByRole('link', { name: `Sign in with ${IDP}` })).toBeVisible();
  expect((await page.context().cookies(setup.url)).map((c) => c.name)).not.toContain('lr_session');
}
