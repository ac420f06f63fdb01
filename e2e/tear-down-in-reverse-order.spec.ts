import { expect, test } from '@playwright/test';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { confirmAccess, deploymentFromPlan, previewAndApprove, waitForRun } from './support/deploy';
import { sandbox, stackSpan } from './support/sandbox';

test('tear a deployment down, the last stack first, after a typed confirmation', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await deploymentFromPlan(page, { name: 'Teardown journey', prefix: 'tj' });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await previewAndApprove(page, 'Preview deployment');

  // deleted stacks are found by their ARNs only
  const names = ['tj-vpc', 'tj-common', 'tj-migration', 'tj-services'];
  const arns = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, (await sandbox.cloudFormation().send(new DescribeStacksCommand({ StackName: n }))).Stacks![0]!.StackId!] as const)),
  );
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  const teardown = page.getByRole('button', { name: 'Preview teardown' });
  await expect(teardown).toBeDisabled();
  await expect(page.getByText('The database is snapshotted (its deletion protection is switched off first, a step the preview shows), and the ingest bucket, the file system and the database password are kept')).toBeVisible();
  await page.getByRole('textbox', { name: /Type Teardown journey to confirm/ }).fill('Teardown journey');
  await teardown.click();
  await waitForRun(page, 'awaiting-approval');
  const headings = await page.getByRole('region', { name: 'Changes to approve' }).getByRole('heading', { level: 3 }).allTextContents();
  expect(headings.map((h) => /tj-\w+/.exec(h)?.[0])).toEqual(['tj-services', 'tj-migration', 'tj-common', 'tj-vpc']);
  await expect(page.getByRole('row', { name: /Remove Database AWS::RDS::DBInstance/ })).toBeVisible();
  // the database's deletion protection goes off first, as a change of its own in the same preview
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  await expect(preview.getByRole('heading', { name: /tj-common first 1 change without which CloudFormation cannot delete it, then delete: \d+ resources removed/ })).toBeVisible();
  await expect(preview.getByRole('row', { name: /Modify Database AWS::RDS::DBInstance .*DeletionProtection/ })).toBeVisible();
  await expect(page.getByText('tj-common: the teardown first sets DbDeletionProtection false (CloudFormation cannot delete the stack otherwise), then deletes it.')).toBeVisible();
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded');
  // the graph walked backwards: each stack deleted only after the stacks depending on it were gone
  const at = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await stackSpan(n, 'DELETE', arns[n])] as const)));
  expect(at['tj-migration']!.start).toBeGreaterThanOrEqual(at['tj-services']!.end);
  expect(at['tj-common']!.start).toBeGreaterThanOrEqual(at['tj-migration']!.end);
  // and tj-common was updated (the protection off) before its delete began
  const switchedOff = await stackSpan('tj-common', 'UPDATE', arns['tj-common']);
  expect(switchedOff.end).toBeLessThanOrEqual(at['tj-common']!.start);
  expect(at['tj-vpc']!.start).toBeGreaterThanOrEqual(at['tj-common']!.end);

  await page.goto(deploymentUrl);
  for (const name of ['tj-vpc', 'tj-common', 'tj-migration', 'tj-services']) await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('NOT_DEPLOYED');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('deleted');
});
