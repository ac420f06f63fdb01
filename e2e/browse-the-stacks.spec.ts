import { expect, test } from '@playwright/test';

test('a visitor sees the sandbox banner and the stacks in deployment order, and opens one', { tag: '@parallel' }, async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Lakerunner stacks' })).toBeVisible();
  // without AWS credentials the console says plainly that it runs against its sandbox
  await expect(page.getByTestId('sandbox-banner')).toContainText('Sandbox mode. No AWS credentials were found');

  // each release line lists its stacks in its own section; this journey browses the 2025 line's
  const line = page.getByRole('region', { name: '2025 layout' });
  const items = line.getByRole('listitem');
  await expect(items.first()).toContainText('lakerunner-vpc');

  await line.getByRole('link', { name: 'VPC', exact: true }).click();
  await expect(page).toHaveURL(/\/stacks\/lakerunner-vpc$/);
  await expect(page.getByRole('heading', { level: 1, name: 'VPC' })).toBeVisible();
  await expect(page.getByRole('row', { name: /VpcCidr/ })).toContainText('10.0.0.0/16');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download YAML' }).click();
  expect((await download).suggestedFilename()).toBe('lakerunner-vpc.yaml');
});
