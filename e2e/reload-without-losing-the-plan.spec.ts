import { expect, test } from '@playwright/test';
import { openPlan, stackSection } from './support/plan-page';

test('reload the page without losing the plan, then reset it to the defaults', async ({ page }) => {
  await openPlan(page);
  await page.getByLabel('Plan name').fill('Kept across reloads');
  await page.getByLabel('Use an existing VPC').check();
  await stackSection(page, 'common').getByRole('combobox', { name: 'VPC', exact: true }).fill('vpc-0abc1234');
  await page.getByRole('checkbox', { name: 'Grafana' }).uncheck();
  await stackSection(page, 'migration').getByLabel('CPU units').selectOption('1024');
  await page.waitForTimeout(400); // the plan is saved 250 ms after the last change

  await page.reload();
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
  await expect(page.getByLabel('Plan name')).toHaveValue('Kept across reloads');
  await expect(page.getByLabel('Use an existing VPC')).toBeChecked();
  await expect(stackSection(page, 'common').getByRole('combobox', { name: 'VPC', exact: true })).toHaveValue('vpc-0abc1234');
  await expect(page.getByRole('checkbox', { name: 'Grafana' })).not.toBeChecked();
  await expect(stackSection(page, 'migration').getByLabel('CPU units')).toHaveValue('1024');

  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(page.getByLabel('Plan name')).toHaveValue('lakerunner');
  await expect(page.getByLabel('Create a new VPC')).toBeChecked();
  await page.reload();
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
  await expect(page.getByLabel('Plan name')).toHaveValue('lakerunner');
});
