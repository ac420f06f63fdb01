// Signs in as the admin, has the admin create a viewer and a deployer through the users page,
// lets each replace their one-time password, and saves the three browser states for the suite.
import { expect, test as setup } from '@playwright/test';
import { ADMIN, TEST_USERS, addUser, replaceOneTimePassword, signIn, storageState } from './support/auth';

setup.use({ storageState: { cookies: [], origins: [] } });

setup('sign in as the admin', async ({ page }) => {
  await page.goto('/signin');
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('link', { name: /Your account: admin, admin/ })).toBeVisible();
  await page.context().storageState({ path: storageState('admin') });
});

for (const role of ['viewer', 'deployer'] as const) {
  setup(`the admin adds a ${role}, who chooses a password`, async ({ browser }) => {
    const admin = await browser.newContext({ storageState: storageState('admin') });
    const oneTime = await addUser(await admin.newPage(), TEST_USERS[role].username, role);
    await admin.close();

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto('/signin');
    await signIn(page, TEST_USERS[role].username, oneTime);
    await replaceOneTimePassword(page, oneTime, TEST_USERS[role].password);
    await page.getByRole('link', { name: 'Continue to the console' }).click();
    await expect(page.getByRole('link', { name: new RegExp(`Your account: ${TEST_USERS[role].username}, ${role}`) })).toBeVisible();
    await context.storageState({ path: storageState(role) });
    await context.close();
  });
}
