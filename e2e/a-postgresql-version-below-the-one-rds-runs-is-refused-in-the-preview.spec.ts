import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, previewAndApprove, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

test('ask for a PostgreSQL version below the one RDS runs: the preview refuses it and names both; a higher one previews', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  // Given a deployment whose database was created with the major version alone (RDS runs its default minor, 17.7)
  await deploymentFromPlan(page, { name: 'Postgres journey', prefix: 'pv' });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await previewAndApprove(page, 'Preview deployment');
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  const settings = page.getByRole('region', { name: 'Operations' });
  const version = settings.getByRole('textbox', { name: /PostgreSQL version/ });
  await expect(version).toHaveValue('17');
  await expect(settings.getByText(/RDS may already run a newer minor than this value says, so the value may only rise/)).toBeVisible();

  // When a settings change asks for 17.5
  await version.fill('17.5');
  await settings.getByRole('button', { name: 'Preview settings change' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  // then the preview stops before any change set, naming the value and the running version
  await waitForRun(page, 'failed');
  await expect(page.getByText(/pv-common: PostgreSQL version 17\.5 is below 17\.7, the version .* runs now .* It may only rise: choose 17\.7 or later/).first()).toBeVisible();
  const common = (await sandbox.cloudFormation().send(new DescribeStacksCommand({ StackName: 'pv-common' }))).Stacks?.[0];
  expect(common?.Parameters?.find((p) => p.ParameterKey === 'DbEngineVersion')?.ParameterValue).toBe('17');
  expect(common?.StackStatus).toBe('CREATE_COMPLETE');

  // and 17.9 gets its change set: the database modified in place
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  await settings.getByRole('textbox', { name: /PostgreSQL version/ }).fill('17.9');
  await settings.getByRole('button', { name: 'Preview settings change' }).click();
  await waitForRun(page, 'awaiting-approval');
  await expect(page.getByRole('region', { name: 'Changes to approve' }).getByRole('row', { name: /Modify Database AWS::RDS::DBInstance False/ })).toBeVisible();
});
