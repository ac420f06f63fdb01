import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { hashSync } from 'bcryptjs';
import { storageState } from './support/auth';
import { installCurrentLineDirectly, removeCurrentLineDirectly } from './support/current-line';

test.use({ storageState: storageState('deployer') });

test('a deployer attaches a current-line install made outside the console, finds its access points, and ticks off mapping the raw bucket in Maestro', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  // Given the current line installed straight in the account (the sandbox) the way upstream's drivers do it
  const prefix = `cur${randomBytes(3).toString('hex')}`;
  const organization = randomUUID();
  const install = await installCurrentLineDirectly(prefix, {
    vpc: { EnvironmentName: prefix },
    'infra-base': { LicenseData: 'z64:sample', LicenseSecretName: `cardinal-${prefix}-license`, AdminKeySecretName: `cardinal-${prefix}-admin-key` },
    'satellite-services': { OrganizationId: organization },
    services: { OrganizationId: organization, DexAdminPasswordHash: hashSync('an admin password', 10) },
  });
  const satellite = install.outputs['satellite-infra-base']!;
  const collectorName = `a${/:stack\/[^/]+\/([0-9a-f]{8})-/.exec(install.stacks['satellite-services']!.StackId!)![1]}`;

  // When the deployer discovers the region's stacks
  await page.goto('/deployments/attach');
  await page.getByLabel('Region').selectOption('us-east-1');
  await page.getByRole('button', { name: 'Discover stacks' }).click();
  await expect(page.getByRole('status').filter({ hasText: /found in us-east-1/ })).toBeVisible();

  // Then the seven stacks appear together as one current-line deployment, found by the outputs they pass each other
  const card = page.getByRole('region', { name: prefix, exact: true });
  for (const id of ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services', 'services'])
    await expect(card.getByRole('row', { name: new RegExp(`${prefix}-${id}\\b`) })).toContainText('CREATE_COMPLETE');

  // When it is attached
  const name = `Current ${prefix}`;
  await card.getByLabel('Deployment name').fill(name);
  await card.getByRole('button', { name: `Attach as ${name}` }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  const deploymentUrl = page.url();

  // Then its page shows Maestro, the query API, the collector and both buckets
  const access = page.getByRole('region', { name: 'Access points' });
  await expect(access.getByRole('link', { name: install.outputs.services!.MaestroUrl! })).toBeVisible();
  await expect(access).toContainText(install.outputs.services!.QueryApiUrl!);
  await expect(access).toContainText(install.outputs['satellite-services']!.CollectorEndpoint!);
  await expect(access).toContainText(satellite.RawBucketName!);
  await expect(access).toContainText(install.outputs['infra-base']!.CookedBucketName!);

  // And the step CloudFormation cannot do, with the exact values to enter in Maestro, not done yet
  const steps = page.getByRole('region', { name: 'After the install' });
  const step = steps.locator('[data-step="map-raw-bucket"]');
  await expect(step).toContainText('Map the raw bucket in Maestro');
  for (const value of [satellite.RawBucketName!, satellite.LakerunnerAccessRoleArn!, 'us-east-1', 'aws', collectorName]) await expect(step.getByText(value, { exact: true })).toBeVisible();
  const done = step.getByRole('checkbox', { name: 'Map the raw bucket in Maestro' });
  await expect(done).not.toBeChecked();

  // When the deployer ticks it off, the console remembers who did it, across reloads
  // (the box follows the server's answer, so it is clicked, then read)
  await done.click();
  await expect(done).toBeChecked();
  await expect(step.getByRole('status')).toHaveText(/^Done — ticked by e2e-deployer at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await page.goto(deploymentUrl);
  await expect(page.locator('[data-step="map-raw-bucket"]').getByRole('checkbox')).toBeChecked();
  await expect(page.locator('[data-step="map-raw-bucket"]').getByRole('status')).toContainText('ticked by e2e-deployer');

  // And it can be unticked again
  await page.locator('[data-step="map-raw-bucket"]').getByRole('checkbox').click();
  await expect(page.locator('[data-step="map-raw-bucket"]').getByRole('checkbox')).not.toBeChecked();
  await expect(page.locator('[data-step="map-raw-bucket"]').getByRole('status')).toHaveText('Not done yet: tick it once you have.');
  await page.goto(deploymentUrl);
  await expect(page.locator('[data-step="map-raw-bucket"]').getByRole('checkbox')).not.toBeChecked();

  // (the install goes, with what it keeps by design, so the line can be installed again in this sandbox)
  await removeCurrentLineDirectly(install);
});
