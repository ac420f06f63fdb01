import { expect, test } from '@playwright/test';
import { ANONYMOUS, SIGN_IN_FAILED, addUser, signIn, storageState, submitSignIn } from './support/auth';

test('after five wrong passwords the account is locked, even for the right one, with the same message', { tag: '@parallel' }, async ({ browser }) => {
  // Given a user the admin just created
  const admin = await browser.newContext({ storageState: storageState('admin') });
  const oneTime = await addUser(await admin.newPage(), 'lockout-target', 'viewer');
  await admin.close();

  const context = await browser.newContext({ storageState: ANONYMOUS });
  const page = await context.newPage();
  await page.goto('/signin');
  const messages: string[] = [];
  // When someone guesses five times
  for (let i = 1; i <= 5; i += 1) {
    await page.getByLabel('Password', { exact: true }).fill(`guess number ${i}`);
    if (i === 1) await page.getByLabel('Username').fill('lockout-target');
    await submitSignIn(page);
    // React resets the form once it has applied the answer; typing before that would be wiped.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(SIGN_IN_FAILED);
    messages.push((await page.getByRole('main').getByRole('alert').textContent()) ?? '');
  }
  // Then even the right password is refused, in exactly the same words
  await signIn(page, 'lockout-target', oneTime);
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(SIGN_IN_FAILED);
  await expect(page).toHaveURL(/\/signin$/);
  expect(new Set(messages)).toEqual(new Set([SIGN_IN_FAILED]));
  await context.close();

  // And the admin sees the failed attempts in the audit log
  const auditor = await browser.newContext({ storageState: storageState('admin') });
  const log = await auditor.newPage();
  await log.goto('/admin/audit');
  const rows = log.getByRole('row').filter({ hasText: 'lockout-target' }).filter({ hasText: 'signin.failure' });
  await expect(rows.filter({ hasText: 'reason=locked-out' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'reason=wrong-password' })).toHaveCount(5);
  await auditor.close();
});
