import { expect, test } from '@playwright/test';
import { openPlan, stackSection } from './support/plan-page';

test('reload the page without losing the plan, then reset it to the defaults', { tag: '@parallel' }, async ({ page }) => {
  await openPlan(page);
  await page.getByLabel('Plan name').fill('Kept across reloads');
  await page.getByLabel('Use an existing VPC').check();
  await stackSection(page, 'common').getByRole('combobox', { name: 'VPC', exact: true }).fill('vpc-0abc1234');
  await page.getByRole('checkbox', { name: 'Grafana' }).uncheck();
  await stackSection(page, 'migration').getByLabel('CPU units').selectOption('1024');
  // the plan is saved (components/plan/plan-storage.ts) a moment after the last change: wait until it is
  const saved = () =>
    page.evaluate(() => {
      const plan = JSON.parse(localStorage.getItem('lakerunner.plan.v1') ?? 'null') as { name: string; network: string; include: Record<string, boolean>; params: Record<string, Record<string, string>> } | null;
      return plan && { name: plan.name, network: plan.network, grafana: plan.include.grafana, migrationValues: Object.values(plan.params.migration ?? {}) };
    });
  await expect.poll(saved).toMatchObject({ name: 'Kept across reloads', network: 'existing', grafana: false, migrationValues: expect.arrayContaining(['1024']) });

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
