import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test, type Page } from '@playwright/test';
import { currentDeploymentFromPlan, giveRunSecrets } from './support/current-deploy';
import { confirmAccess, waitForRun } from './support/deploy';
import { expectFitsThePhone, PHONE } from './support/phone-width';
import { sandbox } from './support/sandbox';

const REGION = 'ca-central-1';
// The plan page names only the stacks the plan includes: the add-on's card suggests a name in the
// deployment's pattern (its stacks are cwm-<id>), so it never takes the default everyone would share.
const STACK = 'cwm-cwmetrics';
const DEFAULT_NAME = 'cardinal-satellite-cwmetrics';

const stack = async (name: string) =>
  sandbox
    .cloudFormation(REGION)
    .send(new DescribeStacksCommand({ StackName: name }))
    .then(
      (r) => r.Stacks?.[0],
      () => undefined,
    );

/** The stacks the run's preview lists, by name. */
const previewed = async (page: Page) => page.getByRole('region', { name: 'Changes to approve' }).getByRole('heading', { level: 3 }).locator('code').allTextContents();

async function approve(page: Page) {
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 180_000);
}

// Parallel-safe: its stacks, secrets and buckets are in a region no other journey uses (ca-central-1)
// under its own prefix and suffix, and it changes no sandbox-wide setting.
test('add the CloudWatch metrics stream to a deployed current-line install, change its excluded namespace, then remove it, each previewed and approved', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(480_000);
  // Given a current-line proof of concept deployed without the metrics stream
  const { deploymentUrl } = await currentDeploymentFromPlan(page, { name: 'Metrics stream journey', prefix: 'cwm', region: REGION });
  await confirmAccess(page);
  await giveRunSecrets(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval', 120_000);
  await approve(page);
  expect(await stack(STACK)).toBeUndefined();

  // When the deployer adds it with a namespace CloudWatch would not accept
  await page.goto(deploymentUrl);
  const card = page.getByTestId('addon-cwmetrics');
  await expect(card.getByRole('status')).toHaveText('Not part of this deployment.');
  await confirmAccess(page);
  const namespace = card.getByRole('textbox', { name: /Excluded namespace/ });
  await expect(namespace).toHaveValue('AWS/Usage');
  // its stack's name is suggested the way the deployment names its other stacks
  const stackName = card.getByRole('textbox', { name: 'Stack name' });
  await expect(stackName).toHaveValue(STACK);
  await namespace.fill(':AWS/Billing');
  await card.getByRole('button', { name: 'Preview adding it' }).click();

  // Then the field says why, keeping what was typed, and nothing started
  await expect(card.getByText(/Excluded namespace must be one CloudWatch namespace/).first()).toBeVisible();
  await expect(namespace).toHaveAttribute('aria-invalid', 'true');
  await expect(namespace).toHaveValue(':AWS/Billing');
  await expect(page).toHaveURL(deploymentUrl);

  // When the namespace is corrected but the stack is given the name of another stack of the deployment, then one that is no stack name
  await namespace.fill('AWS/Billing');
  await stackName.fill('cwm-services');
  await card.getByRole('button', { name: 'Preview adding it' }).click();
  // (said on the field, under it)
  const nameError = card.locator('#field-operation-stackName-error');
  await expect(nameError).toHaveText('Stack name cwm-services is already used by the Lakerunner services stack.');
  await expect(stackName).toHaveAttribute('aria-invalid', 'true');
  await expect(stackName).toHaveValue('cwm-services');
  await expect(namespace).toHaveValue('AWS/Billing');
  await stackName.fill('9 metrics');
  await card.getByRole('button', { name: 'Preview adding it' }).click();
  await expect(nameError).toHaveText(/^Stack name must start with a letter and contain only letters, digits and hyphens/);
  await expect(stackName).toHaveValue('9 metrics');
  await expect(page).toHaveURL(deploymentUrl);
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the add-on card with its stack name refused');
  await page.setViewportSize({ width: 1280, height: 900 });

  // When it is set back to the suggested name and the add is previewed
  await stackName.fill(STACK);
  await card.getByRole('button', { name: 'Preview adding it' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval', 120_000);

  // Then the preview creates only the metrics stream's stack; approved, it exists with that namespace
  expect(await previewed(page)).toEqual([STACK]);
  await approve(page);
  expect((await stack(STACK))?.StackStatus).toBe('CREATE_COMPLETE');
  expect((await stack(STACK))?.Parameters?.find((p) => p.ParameterKey === 'ExcludeNamespace')?.ParameterValue).toBe('AWS/Billing');
  expect(await stack(DEFAULT_NAME)).toBeUndefined();

  // When its excluded namespace is changed
  await page.goto(deploymentUrl);
  await expect(card.getByRole('status')).toHaveText('Part of this deployment.');
  await expect(card.getByTestId('addon-cwmetrics-stack-name')).toHaveText(STACK);
  await expect(namespace).toHaveValue('AWS/Billing');
  await confirmAccess(page);
  await namespace.fill('AWS/EC2');
  await card.getByRole('button', { name: 'Preview the change' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval', 120_000);

  // Then only its stack is updated
  expect(await previewed(page)).toEqual([STACK]);
  await approve(page);
  expect((await stack(STACK))?.StackStatus).toBe('UPDATE_COMPLETE');
  expect((await stack(STACK))?.Parameters?.find((p) => p.ParameterKey === 'ExcludeNamespace')?.ParameterValue).toBe('AWS/EC2');

  // When it is removed
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  await card.getByRole('button', { name: 'Preview removing it' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval', 120_000);

  // Then the preview deletes only its stack; approved, it is gone and the rest stays, the deployment still deployed
  expect(await previewed(page)).toEqual([STACK]);
  await expect(page.getByRole('region', { name: 'Changes to approve' }).getByRole('row', { name: /Remove CwmetricsDeliveryStream/ })).toBeVisible();
  await approve(page);
  expect(await stack(STACK)).toBeUndefined();
  expect((await stack('cwm-satellite-infra-base'))?.StackStatus).toMatch(/_COMPLETE$/);
  await page.goto(deploymentUrl);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('deployed');
  await expect(card.getByRole('status')).toHaveText('Not part of this deployment.');
  const runs = page.getByRole('region', { name: 'Runs' });
  for (const kind of ['Add an add-on', 'Change an add-on', 'Remove an add-on']) await expect(runs.getByRole('cell', { name: kind, exact: true })).toBeVisible();

  // And on a phone the add-on's card fits the screen
  await page.setViewportSize(PHONE);
  await page.goto(deploymentUrl);
  await expect(card).toBeVisible();
  const box = await card.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
  await expectFitsThePhone(page, 'the deployment page with the add-on card');
});
