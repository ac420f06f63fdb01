import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

test('a failure in the services stack shows its root cause; recover, resume and finish', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await sandbox.failResource({ stackName: 'rj-services', logicalId: 'IngestLogsService', operation: 'create', reason: 'ECS service failed to stabilize: tasks exited with code 1' });
  await deploymentFromPlan(page, { name: 'Recovery journey', prefix: 'rj' });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval');
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'failed', 120_000);

  // the root cause first: the chronologically first failed resource and its reason
  const cause = page.getByTestId('root-cause');
  await expect(cause).toContainText('IngestLogsService');
  await expect(cause).toContainText('AWS::ECS::Service');
  await expect(cause).toContainText('rj-services');
  await expect(cause).toContainText('ECS service failed to stabilize: tasks exited with code 1');
  await expect(page.locator('[data-stack="services"]')).toHaveAttribute('aria-label', 'rj-services: failed');
  await expect(page.locator('[data-stack="migration"]')).toHaveAttribute('aria-label', 'rj-migration: complete');
  const failedRun = page.url();

  // recovery: the failed create is deleted…
  await page.getByRole('button', { name: 'Delete rj-services' }).click();
  await expect(page).not.toHaveURL(failedRun);
  await waitForRun(page, 'succeeded');
  await expect(page.locator('[data-stack="services"]')).toHaveAttribute('aria-label', 'rj-services: complete');

  // …then resuming continues from the failed stack: the ones before it have nothing to change
  await page.goto(failedRun);
  await page.getByRole('button', { name: 'Resume the deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-/);
  await waitForRun(page, 'awaiting-approval');
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  for (const id of ['vpc', 'common', 'migration']) await expect(preview.getByRole('heading', { name: new RegExp(`rj-${id} no changes`) })).toBeVisible();
  await expect(preview.getByRole('heading', { name: /rj-services create/ })).toBeVisible();
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 120_000);
  // the resumed run names the run it continues
  await expect(page.locator('header').getByRole('link', { name: failedRun.split('/').pop()! })).toBeVisible();

  await page.goto(deploymentUrl);
  await expect(page.getByRole('row', { name: /rj-services/ })).toContainText('CREATE_COMPLETE');
});
