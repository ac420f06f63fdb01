import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';

const STACKS = ['vpc', 'common', 'migration', 'services'];

test("the preview says which parameters come from which stack's outputs, and a finished run's timeline shows every stack as a row that opens onto its resources", { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await deploymentFromPlan(page, { name: 'Glance journey', prefix: 'gl' });
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval');

  // the common stack's network comes from the VPC stack's outputs, known once that stack exists
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  const common = preview.locator('[data-preview-stack="common"]');
  await common.getByText(/^Parameters from other stacks' outputs \(\d+\)/).click();
  const wiring = common.getByRole('table', { name: "Parameters of gl-common from other stacks' outputs" });
  await expect(wiring.getByRole('row', { name: /^VpcId gl-vpc\.VpcId not known yet$/ })).toBeVisible();
  await expect(wiring.getByRole('row', { name: /^PrivateSubnets gl-vpc\.PrivateSubnets not known yet$/ })).toBeVisible();
  await expect(preview.locator('[data-preview-stack="vpc"]').getByText(/Parameters from other stacks/)).toHaveCount(0);

  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 150_000);

  // the whole run at a glance: a row per stack, each closed, all in view in the timeline's box
  const box = page.getByTestId('timeline');
  const timeline = page.getByRole('list', { name: 'Timeline of this run' });
  const rows = STACKS.map((id) => timeline.getByRole('button', { name: new RegExp(`^gl-${id}, \\d+ resources?$`) }));
  const boxArea = (await box.boundingBox())!;
  for (const row of rows) {
    await expect(row).toHaveAttribute('aria-expanded', 'false');
    const area = (await row.boundingBox())!;
    expect(area.y + area.height).toBeLessThanOrEqual(boxArea.y + boxArea.height);
  }
  await expect(timeline.getByRole('img')).toHaveCount(STACKS.length);
  for (const id of STACKS) await expect(timeline.getByRole('img', { name: new RegExp(`^gl-${id}: complete, [\\d.]+ s$`) })).toBeVisible();

  // a stack's row opens onto its resources, and closes again
  const services = rows[3]!;
  await services.click();
  await expect(services).toHaveAttribute('aria-expanded', 'true');
  const resources = page.getByRole('list', { name: 'Rows of gl-services' });
  await expect(resources.getByRole('img').first()).toBeVisible();
  expect(await resources.getByRole('img').count()).toBeGreaterThan(3);
  await expect(resources.getByRole('img', { name: /\(AWS::ECS::Service\): CREATE_COMPLETE, [\d.]+ s$/ }).first()).toBeVisible();
  await services.press('Enter');
  await expect(services).toHaveAttribute('aria-expanded', 'false');
  await expect(resources).toHaveCount(0);
});
