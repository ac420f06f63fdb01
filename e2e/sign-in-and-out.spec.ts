import { expect, test } from '@playwright/test';
import { ADMIN, ANONYMOUS, SIGN_IN_FAILED, signIn, submitSignIn } from './support/auth';

test.use({ storageState: ANONYMOUS });

test('an anonymous visitor is sent to sign in, is refused a wrong password, signs in, returns to the page and signs out', async ({ page }) => {
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

test('sign-in shows its errors next to the fields it is about', async ({ page }) => {
  await page.goto('/signin');
  await submitSignIn(page);
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Enter your username.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription('Enter your password.');
});

test('the next parameter cannot send a signed-in user to another site', async ({ page }) => {
  await page.goto('/signin?next=//evil.example/phish');
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Lakerunner stacks' })).toBeVisible();
});
