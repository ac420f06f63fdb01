import { expect, test } from '@playwright/test';
import { deploymentFromPlan } from './support/deploy';

test('a wrong ExternalId gets a clear error; the right one shows the assumed role', { tag: '@parallel' }, async ({ page }) => {
  await deploymentFromPlan(page, { name: 'Role journey', prefix: 'xj' });
  const access = page.getByRole('region', { name: 'AWS access' });
  await access.getByRole('textbox', { name: 'Role to assume (optional)' }).fill('arn:aws:iam::111111111111:role/LakerunnerDeployRole');
  await access.getByLabel('ExternalId').fill('not-the-right-one');
  await access.getByRole('button', { name: 'Check access' }).click();
  await expect(access.getByRole('alert')).toContainText('AWS refused to let the console assume arn:aws:iam::111111111111:role/LakerunnerDeployRole');
  await expect(access.getByRole('alert')).toContainText('ExternalId');
  await expect(access.getByLabel('ExternalId')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('checkbox', { name: /Deploy to account/ })).toHaveCount(0);

  await access.getByLabel('ExternalId').fill('lakerunner-sandbox');
  await access.getByRole('button', { name: 'Check access' }).click();
  await expect(access).toContainText('assumed-role/LakerunnerDeployRole/lakerunner-console-admin');
  await expect(page.getByRole('checkbox', { name: 'Deploy to account 111111111111' })).toBeVisible();
  // the ExternalId never comes back to the browser
  await page.reload();
  await expect(page.getByRole('region', { name: 'AWS access' }).getByLabel('ExternalId')).toHaveValue('');
  expect(await page.content()).not.toContain('lakerunner-sandbox');
});
