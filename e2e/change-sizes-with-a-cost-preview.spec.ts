import { expect, test } from '@playwright/test';
import { dollars, totalOf } from './support/cost';
import { confirmAccess, deploymentFromPlan, previewAndApprove, waitForRun } from './support/deploy';

test('change the task counts of a deployed plan, with the estimate before and after in the preview', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await deploymentFromPlan(page, { name: 'Sizes journey', prefix: 'sz', include: { grafana: false, otel: true, demo: false } });
  const deploymentUrl = page.url();
  // before anything exists, the deployment page says so
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' })).toContainText('Nothing is deployed');
  await confirmAccess(page);
  await previewAndApprove(page, 'Preview deployment');

  // the deployment page estimates what is deployed now
  await page.goto(deploymentUrl);
  const deployed = await totalOf(page.getByRole('region', { name: 'Estimated monthly cost' }));
  expect(deployed).toBeGreaterThan(500);

  // proof-of-concept counts, with two query workers instead of one
  await confirmAccess(page);
  const operations = page.getByRole('region', { name: 'Operations' });
  await operations.getByRole('group', { name: 'Fill the counts of a size' }).getByRole('button', { name: 'Proof of concept' }).click();
  await expect(operations.getByLabel('Number of compact-logs tasks')).toHaveValue('1');
  // a count the template refuses is a field error, and nothing starts
  await operations.getByLabel('Number of query-worker tasks').fill('0');
  await operations.getByRole('button', { name: 'Preview size change' }).click();
  const workers = operations.getByLabel('Number of query-worker tasks');
  await expect(workers).toHaveAccessibleDescription(/Number of query-worker tasks must be a whole number from 1 to 100\./);
  await expect(workers).toHaveAttribute('aria-invalid', 'true');
  expect(page.url()).toBe(deploymentUrl);
  await operations.getByLabel('Number of query-worker tasks').fill('2');
  await operations.getByRole('button', { name: 'Preview size change' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');

  // the change sets, and the estimate before and after
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  await expect(preview.getByRole('heading', { name: /sz-services update/ })).toBeVisible();
  await expect(preview.getByRole('row', { name: /Modify QueryWorkerService AWS::ECS::Service/ })).toBeVisible();
  const cost = page.getByRole('region', { name: 'Estimated monthly cost' });
  const [before, after] = [...(await cost.getByText(/^Before \$/).innerText()).matchAll(/\$[\d,]+\.\d\d/g)].map((m) => dollars(m[0]));
  expect(before).toBe(deployed);
  expect(after).toBeLessThan(before!);
  await expect(cost.getByRole('table', { name: 'Estimated monthly cost by stack, before and after' }).getByRole('row', { name: /sz-services/ })).toContainText('−$');
  await cost.getByText(/^\d+ line items change$/).click();
  const changed = cost.getByRole('table', { name: 'Line items that change' });
  await expect(changed.getByRole('row', { name: /QueryWorkerService ARM64 vCPU: 8 tasks × 730 h × 2 vCPU: \$[\d,.]+ ARM64 vCPU: 2 tasks × 730 h × 2 vCPU/ })).toBeVisible();
  await expect(changed.getByRole('row', { name: /CompactLogsService ARM64 vCPU: 4 tasks .* 1 task/ })).toBeVisible();
  await expect(changed.getByRole('row', { name: /CollectorService/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded');
  const diff = page.getByRole('table', { name: 'Changed parameters' });
  await expect(diff.getByRole('row', { name: /QueryWorkerCount 8 2/ })).toBeVisible();

  // what is deployed now costs what the preview said it would
  await page.goto(deploymentUrl);
  expect(await totalOf(page.getByRole('region', { name: 'Estimated monthly cost' }))).toBe(after);
});
