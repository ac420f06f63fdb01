import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, previewAndApprove, waitForRun } from './support/deploy';
import { stackSpan } from './support/sandbox';

test('update the image versions after previewing the change set', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await deploymentFromPlan(page, { name: 'Images journey', prefix: 'ij' });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await previewAndApprove(page, 'Preview deployment');

  await page.goto(deploymentUrl);
  await confirmAccess(page);
  const images = page.getByRole('region', { name: 'Operations' });
  await images.getByRole('textbox', { name: 'GoServicesImage' }).fill('public.ecr.aws/cardinalhq.io/lakerunner:v1.2.2');
  await images.getByRole('textbox', { name: 'ContainerImage' }).fill('public.ecr.aws/cardinalhq.io/lakerunner:v1.2.2');
  await images.getByRole('button', { name: 'Preview image update' }).click();
  await waitForRun(page, 'awaiting-approval');

  // the preview: task definitions replaced (highlighted), services modified, nothing else touched
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  await expect(preview.getByText(/resources? (is|are) replaced/)).toBeVisible();
  await expect(preview.getByRole('row', { name: /Modify IngestLogsTask AWS::ECS::TaskDefinition Replaced/ })).toBeVisible();
  await expect(preview.getByRole('row', { name: /AWS::RDS::DBInstance/ })).toHaveCount(0);
  await expect(preview.getByRole('heading', { name: /ij-migration update/ })).toBeVisible();
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded');
  // the setup task migrates the database with the new image before the services take it
  expect((await stackSpan('ij-services', 'UPDATE')).start).toBeGreaterThanOrEqual((await stackSpan('ij-migration', 'UPDATE')).end);

  // the parameter diff against the previous run shows exactly what changed
  const diff = page.getByRole('table', { name: 'Changed parameters' });
  await expect(diff.getByRole('row', { name: /GoServicesImage .*lakerunner:v1\.2\.1 .*lakerunner:v1\.2\.2/ })).toBeVisible();
  await expect(diff.getByRole('row', { name: /ContainerImage/ })).toBeVisible();
  await expect(diff.getByRole('row')).toHaveCount(3); // the header and the two images
});
