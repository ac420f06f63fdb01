// Who the end-to-end journeys sign in as, where their browser states are saved, and the small
// steps every auth journey repeats.
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { Role } from '../../lib/auth/roles';

export const PORT = Number(process.env.E2E_PORT ?? 3123);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/** The e2e server starts on an empty store with CONSOLE_ADMIN_PASSWORD set to this. */
export const ADMIN = { username: 'admin', password: process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin password, not a secret' };

/** Created through the admin page by auth.setup.ts. */
export const TEST_USERS = {
  viewer: { username: 'e2e-viewer', password: 'e2e viewer password, not a secret' },
  deployer: { username: 'e2e-deployer', password: 'e2e deployer password, not a secret' },
} as const;

/** The e2e server trusts X-Forwarded-Email from this loopback address only (see scripts/e2e-server.mjs). */
export const TRUSTED_PROXY = { address: '127.0.0.2', header: 'X-Forwarded-Email' };

/** Per port, so engineers running suites side by side do not overwrite each other's sessions. */
export function storageState(role: Role): string {
  return join(__dirname, '..', '.auth', String(PORT), `${role}.json`);
}

export const ANONYMOUS = { cookies: [], origins: [] };

export async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submitSignIn(page);
}

/** Clicks "Sign in" and waits until the server has answered, so no attempt is still in flight. */
export async function submitSignIn(page: Page) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await answered;
}

export const SIGN_IN_FAILED = 'Incorrect username or password, or too many attempts. Try again later.';

/** Admin page: adds a user and returns the one-time password shown for them. */
export async function addUser(page: Page, username: string, role: Role): Promise<string> {
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Role').selectOption(role);
  await form.getByRole('button', { name: 'Add user' }).click();
  const secret = form.getByLabel(`One-time password for ${username}`);
  await expect(secret).toBeVisible();
  return (await secret.textContent()) ?? '';
}

/** First sign-in with a one-time password: the console insists on a new one. */
export async function replaceOneTimePassword(page: Page, oneTime: string, chosen: string) {
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('one-time password');
  await page.getByLabel('Current password').fill(oneTime);
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('New password again').fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
}
