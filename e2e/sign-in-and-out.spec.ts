import { expect, test } from '@playwright/test';
import { ADMIN, ANONYMOUS, BASE_URL, SIGN_IN_FAILED, signIn, storageState, submitSignIn } from './support/auth';

test.use({ storageState: ANONYMOUS });

test('an anonymous visitor is sent to sign in, is refused a wrong password, signs in, returns to the page and signs out', { tag: '@parallel' }, async ({ page }) => {
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin%2Fusers$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveCount(0);

  await signIn(page, ADMIN.username, 'not the password at all');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(SIGN_IN_FAILED);
  await expect(page.getByLabel('Username')).toHaveValue(ADMIN.username);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');

  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await submitSignIn(page);
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Your account: admin, admin' })).toBeVisible();

  const cookie = (await page.context().cookies()).find((c) => c.name === 'lr_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
  expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(page.url()).not.toContain(cookie!.value);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect((await page.context().cookies()).find((c) => c.name === 'lr_session')).toBeUndefined();

  // The old cookie no longer opens anything, even if someone kept a copy.
  await page.context().addCookies([{ ...cookie!, expires: -1 }]);
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/signin\?next=/);
});

test('sign-in shows its errors next to the fields it is about', { tag: '@parallel' }, async ({ page }) => {
  await page.goto('/signin');
  await submitSignIn(page);
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter your username.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription('Enter your password.');
});

test('the next parameter cannot send a signed-in user to another site', { tag: '@parallel' }, async ({ page }) => {
  for (const next of ['//evil.example/phish', '/.//evil.example/login', '/a/..//evil.example/login']) {
    await page.context().clearCookies();
    await page.goto(`/signin?next=${encodeURIComponent(next)}`);
    await signIn(page, ADMIN.username, ADMIN.password);
    await expect(page, next).toHaveURL(/127\.0\.0\.1:\d+\/$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Lakerunner stacks' })).toBeVisible();
  }
});

test.describe('a signed-in user', () => {
  test.use({ storageState: storageState('admin') });

  test('following a crafted next link to the sign-in page stays on the console', { tag: '@parallel' }, async ({ page }) => {
    const crafted = ['/.//evil.example/login', '/a/..//evil.example/login', '/%2e//evil.example/login', '/%2f%2fevil.example', '/%5cevil.example', '/%252f%252fevil.example'];
    for (const next of crafted) {
      const answer = await page.request.get(`/signin?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
      const location = answer.headers()['location'] ?? '';
      expect(location, next).not.toMatch(/^(\/\/|\/\\|[a-z]+:)/i);
      expect(new URL(location, BASE_URL).origin, next).toBe(BASE_URL);
      await page.goto(`/signin?next=${encodeURIComponent(next)}`);
      await expect(page, next).toHaveURL(`${BASE_URL}/`);
    }
    await expect(page.getByRole('heading', { level: 1, name: 'Lakerunner stacks' })).toBeVisible();
  });
});
