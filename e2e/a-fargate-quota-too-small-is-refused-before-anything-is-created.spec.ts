import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { openPlan } from './support/plan-page';
import { sandbox } from './support/sandbox';

test.afterEach(() => sandbox.resetQuotas());

test('a Fargate quota of 16 vCPUs refuses the default sizes with the numbers, and passes once the plan uses smaller ones', { tag: '@after-parallel' }, async ({ page }) => {
  test.setTimeout(120_000);
  // Given an account whose Fargate On-Demand quota is 16 vCPUs
  await sandbox.setFargateQuota(16);

  // When a deployment of the default ("Production") sizes is previewed
  await deploymentFromPlan(page, { name: 'Quota big', prefix: 'qbig', include: { grafana: true, otel: true, demo: false } });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();

  // then it is refused before anything is created, with the numbers and what to do
  const refusal = page.getByRole('region', { name: 'Operations' }).getByRole('alert');
  await expect(refusal).toContainText('The plan runs 29.75 vCPUs of Fargate On-Demand capacity (22 tasks), and up to 59 vCPUs while an update rolls out new tasks');
  await expect(refusal).toContainText("the account's quota in us-east-1 is 16 vCPUs");
  await expect(refusal).toContainText('L-3032A538');
  await expect(refusal).toContainText('request an increase to at least 59 vCPUs in the Service Quotas console, or choose smaller sizes (the "Proof of concept" size runs 11.75 vCPUs');
  expect(page.url()).toBe(deploymentUrl);
  await expect(page.getByRole('region', { name: 'Runs' }).getByRole('link', { name: /run-/ })).toHaveCount(0);

  // When the plan uses the "Proof of concept" size instead
  await openPlan(page);
  await page.getByRole('radio', { name: 'Proof of concept' }).check();
  await page.getByLabel('Plan name').fill('Quota small');
  const names = page.getByRole('group', { name: 'Stack names, in deployment order' });
  for (const input of await names.getByRole('textbox').all()) {
    const label = (await input.getAttribute('name'))?.replace('stackNames.', '') ?? '';
    await input.fill(`qsmall-${label}`);
  }
  await page.getByRole('button', { name: 'Deploy with the console…' }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();

  // then the preview runs, and its notes say what fits and that updates need more
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');
  await expect(page.getByText(/The plan runs 11\.75 vCPUs .* quota in us-east-1 is 16 vCPUs .* The steady state fits, but an update's new tasks would wait for capacity/)).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForRun(page, 'cancelled');
});
