import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';

test('an API keys override given for a run is checked like the plan form checks it, and kept on error', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(120_000);
  await deploymentFromPlan(page, { name: 'Run secret journey', prefix: 'bs' });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  const keys = page.getByRole('textbox', { name: /Common infrastructure: API keys \(YAML\)/ });
  const wrongShape = '- organization_id: not-a-uuid\n  keys: just-one-string\n';
  await keys.fill(wrongShape);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(keys).toHaveAttribute('aria-invalid', 'true');
  await expect(keys).toHaveAccessibleDescription(/API keys \(YAML\) does not have the expected shape/);
  await expect(keys).toHaveValue(wrongShape);
  await expect(page).toHaveURL(deploymentUrl);

  await keys.fill('- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - bs-a-long-random-key-0f9d2c\n');
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');
  expect(await page.content()).not.toContain('bs-a-long-random-key-0f9d2c');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForRun(page, 'cancelled');
});
