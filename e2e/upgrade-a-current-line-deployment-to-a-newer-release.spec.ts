import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { hashSync } from 'bcryptjs';
import { storageState } from './support/auth';
import { installCurrentLineDirectly, removeCurrentLineDirectly } from './support/current-line';
import { confirmAccess, waitForRun } from './support/deploy';
import { expectFitsThePhone, PHONE } from './support/phone-width';

test.use({ storageState: storageState('deployer') });

// The file the suite's console reads imported releases from (scripts/e2e-server.mjs sets CONSOLE_RELEASES_FILE).
const RELEASES_FILE = resolve(process.env.E2E_DATA_DIR ?? '.data-e2e', 'releases.json');
const FIXTURE = 'lib/releases/testing/fixture-v1.7.6.yaml';
const NEW_LAKERUNNER = 'public.ecr.aws/cardinalhq.io/lakerunner:v1.81.1@sha256:9af70e7c78df982749b21617aaf5ad71c1bc4f386a526e6cecfd620218e6b2a3';

test.afterEach(() => rmSync(RELEASES_FILE, { force: true }));

test('an operator imports a newer release manifest offline and upgrades a current-line deployment to it after previewing every stack and reading its notes', async ({ page }) => {
  test.setTimeout(300_000);
  // Given a current-line install attached to the console
  const prefix = `rel${randomBytes(3).toString('hex')}`;
  const organization = randomUUID();
  const install = await installCurrentLineDirectly(prefix, {
    vpc: { EnvironmentName: prefix },
    'infra-base': { LicenseData: 'z64:sample', LicenseSecretName: `cardinal-${prefix}-license`, AdminKeySecretName: `cardinal-${prefix}-admin-key`, CookedBucketName: `${prefix}-cooked` },
    'satellite-services': { OrganizationId: organization },
    services: { OrganizationId: organization, DexAdminPasswordHash: hashSync('an admin password', 10) },
  });
  try {
    await page.goto('/deployments/attach');
    await page.getByLabel('Region').selectOption('us-east-1');
    await page.getByRole('button', { name: 'Discover stacks' }).click();
    const card = page.getByRole('region', { name: prefix, exact: true });
    const name = `Release ${prefix}`;
    await card.getByLabel('Deployment name').fill(name);
    await card.getByRole('button', { name: `Attach as ${name}` }).click();
    await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
    const deploymentUrl = page.url();

    // Then it runs the release the console is built for, and no newer one is known
    const release = page.getByRole('region', { name: 'Release', exact: true });
    await expect(release.getByTestId('running-release')).toHaveText('v1.7.5');
    await expect(release).toContainText('No newer release of this line is known');
    await expect(release.getByRole('button', { name: /Upgrade to/ })).toHaveCount(0);

    // When the operator imports a newer manifest offline (a test fixture: v1.7.6 with new digests)
    const report = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/releases.ts', '--manifest', FIXTURE, '--out', RELEASES_FILE], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '--conditions=react-server' },
    });
    expect(report).toContain('imported v1.7.6 of the current line');

    // Then the deployment page offers the upgrade, with the release notes and what changes in which stack
    await page.goto(deploymentUrl);
    await expect(release.getByRole('status')).toHaveText('A newer release is known: v1.7.6 (2026-09-02).');
    const notes = release.getByRole('group', { name: 'Notes of v1.7.6' });
    await expect(notes.getByRole('listitem')).toHaveCount(3);
    await expect(notes).toContainText('ProcessTracesMemory default 2048 → 4096');
    const changes = release.getByRole('list', { name: 'Changes of the upgrade to v1.7.6' });
    await expect(changes.getByRole('listitem').filter({ hasText: 'Lakerunner services: LakerunnerImage' })).toContainText(`→ ${NEW_LAKERUNNER}`);
    await expect(changes.getByRole('listitem').filter({ hasText: 'Satellite OTLP collector: OtelImage' })).toContainText('cardinalhq-otel-collector:v1.10.1@sha256:dabed45a');
    await expect(changes.getByRole('listitem').filter({ hasText: 'DexImage' })).toHaveCount(0);

    // And the offer fits a phone's screen, long digests included
    await page.setViewportSize(PHONE);
    await release.scrollIntoViewIfNeeded();
    await expectFitsThePhone(page, 'the deployment page offering an upgrade');
    await page.setViewportSize({ width: 1280, height: 720 });

    // When the operator checks access and asks for the upgrade
    await confirmAccess(page);
    await release.getByRole('button', { name: 'Upgrade to v1.7.6' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    await waitForRun(page, 'awaiting-approval');

    // Then the preview shows the change set of each stack the release touches, nested stacks included, and the notes
    const preview = page.getByRole('region', { name: 'Changes to approve' });
    await expect(preview.locator('[data-preview-stack]')).toHaveCount(2);
    await expect(preview.locator('[data-preview-stack="services"]')).toContainText(`${prefix}-services`);
    await expect(preview.locator('[data-preview-stack="satellite-services"]')).toContainText(`${prefix}-satellite-services`);
    await expect(preview.locator('[data-preview-stack="services"]').getByText(/^Nested stack/).first()).toBeVisible();
    await expect(preview.getByText(/Nested stack .*Database migration/)).toBeVisible();
    await expect(page.getByText('Release v1.7.6: Test fixture: lakerunner v1.81.1 and maestro v1.94.2 (made-up digests).')).toBeVisible();
    await expect(preview.locator('[data-preview-stack="infra-rds"]')).toHaveCount(0);

    // When it is approved, the run succeeds
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 180_000);
    // (the attached deployment's first run: its values are listed as new)
    const diff = page.getByRole('table', { name: 'Changed parameters' });
    await expect(diff.getByRole('row', { name: /^services LakerunnerImage .*lakerunner:v1\.81\.1@sha256:9af70e7c/ })).toBeVisible();
    await expect(diff.getByRole('row', { name: /^services ProcessTracesMemory .*4096$/ })).toBeVisible();
    await expect(diff.getByRole('row', { name: /^satellite-services OtelImage .*collector:v1\.10\.1@/ })).toBeVisible();

    // Then the deployment runs v1.7.6, and no newer release is offered
    await page.goto(deploymentUrl);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    await expect(page.getByText(/· release v1\.7\.6 ·/)).toBeVisible();
    await expect(release.getByTestId('running-release')).toHaveText('v1.7.6');
    await expect(release.getByRole('button', { name: /Upgrade to/ })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Runs' }).or(page.locator('section[aria-labelledby="runs-heading"]')).first()).toContainText('Upgrade release');
  } finally {
    // (the install goes, with what it keeps by design, so the line can be installed again in this sandbox)
    await removeCurrentLineDirectly(install);
  }
});
