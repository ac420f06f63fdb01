import { expect, test, type Page } from '@playwright/test';
import { ANONYMOUS, addUser, signIn, storageState } from './support/auth';

const LAST_ADMIN = 'This is the only admin. Make another user an admin first.';

function row(page: Page, username: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${username}\\b`) }) });
}

test('the admin adds a user, changes the role, resets the password, ends the sessions and deletes the user', { tag: '@parallel' }, async ({ page, browser }) => {
  const oneTime = await addUser(page, 'temp-user', 'deployer');
  expect(oneTime).toMatch(/^[\w]{6}(-[\w]{6}){3}$/);
  await page.getByRole('button', { name: 'Done, hide it' }).click();
  await expect(page.getByText(oneTime)).toHaveCount(0);
  await expect(row(page, 'temp-user').getByLabel('Role of temp-user', { exact: true })).toHaveValue('deployer');

  await row(page, 'temp-user').getByLabel('Role of temp-user', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Change role of temp-user' }).click();
  await expect(row(page, 'temp-user').getByRole('status')).toHaveText('Now viewer.');

  await page.getByRole('button', { name: 'Reset password of temp-user' }).click();
  const reset = row(page, 'temp-user').getByLabel('One-time password for temp-user');
  await expect(reset).toBeVisible();
  const resetPassword = (await reset.textContent()) ?? '';
  expect(resetPassword).not.toBe(oneTime);

  // The user signs in with the reset password and is asked to choose their own.
  const theirs = await browser.newContext({ storageState: ANONYMOUS });
  const theirPage = await theirs.newPage();
  await theirPage.goto('/signin');
  await signIn(theirPage, 'temp-user', resetPassword);
  await expect(theirPage).toHaveURL(/\/account$/);
  await theirPage.goto('/');
  await expect(theirPage).toHaveURL(/\/account$/);

  await page.reload();
  await expect(row(page, 'temp-user').getByRole('cell').nth(2)).toHaveText('1');
  await page.getByRole('button', { name: 'Sign out temp-user everywhere' }).click();
  await expect(row(page, 'temp-user').getByRole('status')).toHaveText('Ended 1 session.');
  await theirPage.goto('/account');
  await expect(theirPage).toHaveURL(/\/signin\?next=%2Faccount$/);
  await theirs.close();

  await page.getByRole('button', { name: 'Delete temp-user' }).click();
  await page.getByRole('button', { name: 'Delete temp-user for good' }).click();
  await expect(row(page, 'temp-user')).toHaveCount(0);

  await page.goto('/admin/audit');
  for (const action of ['user.created', 'user.role-changed', 'user.password-reset', 'user.sessions-revoked', 'user.deleted']) {
    await expect(page.getByRole('row').filter({ hasText: action }).filter({ hasText: 'temp-user' }).first()).toBeVisible();
  }
  await expect(page.getByRole('main')).not.toContainText(resetPassword);
});

test('the last admin can be neither demoted nor deleted', { tag: '@parallel' }, async ({ page }) => {
  await page.goto('/admin/users');
  const me = row(page, 'admin');
  await me.getByLabel('Role of admin', { exact: true }).selectOption('viewer');
  await page.getByRole('button', { name: 'Change role of admin' }).click();
  await expect(me.getByRole('alert')).toHaveText(LAST_ADMIN);
  await page.getByRole('button', { name: 'Delete admin' }).click();
  await page.getByRole('button', { name: 'Delete admin for good' }).click();
  // Both refusals stay on screen: the role change's and the deletion's.
  await expect(me.getByRole('alert')).toHaveText([LAST_ADMIN, LAST_ADMIN]);
  await page.reload();
  await expect(row(page, 'admin').getByLabel('Role of admin', { exact: true })).toHaveValue('admin');
});

test('each role sees only the navigation it may open, and is refused the rest', { tag: '@parallel' }, async ({ browser }) => {
  const everyone = ['Stacks', 'Plan', 'Deployments', 'History'];
  const expected = { viewer: everyone, deployer: everyone, admin: [...everyone, 'Users', 'Audit log'] } as const;
  for (const role of ['viewer', 'deployer', 'admin'] as const) {
    const context = await browser.newContext({ storageState: storageState(role) });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([...expected[role]]);
    await expect(page.getByRole('link', { name: new RegExp(`Your account: .*, ${role}$`) })).toBeVisible();
    const users = await page.goto('/admin/users');
    expect(users?.status()).toBe(role === 'admin' ? 200 : 403);
    await context.close();
  }
});
