import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { CURRENT_RELEASE, DEFAULT_IMAGES, type ImageKey } from '../templates/current/manifest';
import { confirmAccess, waitForRun } from './support/deploy';
import { expectFitsThePhone, PHONE } from './support/phone-width';
import { openPlan, stackSection } from './support/plan-page';
import { SANDBOX_ENDPOINT, sandboxControl } from './support/sandbox';

const ACCOUNT = '111111111111';

test('a deployer plans an air-gapped install, downloads the list of images to mirror, is refused while an image is missing from the account ECR, and previews once they are all there', async ({ page }) => {
  test.setTimeout(240_000);
  // Given a current-line plan pulling its images through this account's ECR, under a path of its own, with a nested templates mirror
  const path = `ag${randomBytes(3).toString('hex')}`;
  const registry = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${path}`;
  const mirror = `https://${path}-mirror.s3.us-east-1.amazonaws.com/lakerunner/v1.7.5/`;
  await openPlan(page, 'current');
  await page.getByLabel('Plan name').fill(`Air gapped ${path}`);
  await page.getByRole('radio', { name: 'Proof of concept', exact: true }).check();
  const names = page.getByRole('group', { name: 'Stack names, in deployment order' });
  for (const input of await names.getByRole('textbox').all()) await input.fill(`${path}-${(await input.getAttribute('name'))!.replace('stackNames.', '')}`);
  const infraBase = stackSection(page, 'infra-base');
  await infraBase.getByRole('button', { name: 'Use the sample license (sandbox only)' }).click();
  const services = stackSection(page, 'services');
  await services.getByRole('button', { name: 'Generate organization id' }).click();
  await services.getByRole('button', { name: 'Let the console generate a password' }).click();
  await services.getByTestId('generated-password').getByRole('button', { name: 'I have stored it' }).click();
  await page.getByLabel('Image registry (private mirror)').fill(registry);
  await page.getByLabel('Nested templates mirror (optional)').fill(mirror);

  // When the bundle is downloaded
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download bundle (YAML)' }).click();
  const files = unzipSync(readFileSync(await (await download).path()));
  const text = (file: string) => strFromU8(files[`air-gapped-${path}/${file}`] ?? new Uint8Array());

  // Then it lists every image to mirror with its digest, says where the stacks pull each, and deploy.sh reads the nested templates from the mirror
  expect(text('images.txt').split('\n').filter((l) => l && !l.startsWith('#')).sort()).toEqual(Object.values(DEFAULT_IMAGES).sort());
  const readme = text('README.md');
  expect(readme).toContain('## Images and templates to mirror (air-gapped installs)');
  expect(readme).toContain(`pulled as ${DEFAULT_IMAGES.lakerunner.replace('public.ecr.aws', registry)}`);
  expect(text('deploy.sh')).toContain(`TEMPLATE_BASE_URL='${mirror}cardinal-lakerunner/'`);
  expect(text('deploy.sh')).not.toContain('aws s3 cp');

  // When the deployer deploys it with the console while the mirror in ECR lacks the collector
  const control = sandboxControl(SANDBOX_ENDPOINT, 'e2e-sandbox-control-token');
  const seed = (key: ImageKey) =>
    control('POST', 'ecr/repositories', { accountId: ACCOUNT, repositoryName: `${path}/${CURRENT_RELEASE.images[key].repository}`, images: [{ tags: [CURRENT_RELEASE.images[key].tag], digest: CURRENT_RELEASE.images[key].digest }] });
  for (const key of ['lakerunner', 'maestro', 'dex', 'dbInit'] as const) await seed(key);
  await page.getByRole('button', { name: 'Deploy with the console…' }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  await expect(page.getByTestId('air-gapped')).toHaveText(`Images pulled under ${registry}. Nested templates read from ${mirror}.`);
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();

  // Then the run is refused before anything is created, naming the missing image and what to copy
  const otel = CURRENT_RELEASE.images.otel;
  const refusal = page.getByRole('region', { name: 'Operations' }).getByRole('alert');
  await expect(refusal).toHaveText(
    `The image ${registry}/${otel.repository}:${otel.tag}@${otel.digest} (${path}-satellite-services: OtelImage) is not in this account's ECR registry: there is no repository ${path}/${otel.repository} in us-east-1. Copy ${DEFAULT_IMAGES.otel} there first (the bundle's images.txt lists every image to mirror), or change the plan's image registry.`,
  );
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  // (and the refusal fits a phone's screen)
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the deployment page refusing a missing image');
  await page.setViewportSize({ width: 1280, height: 720 });

  // When the collector is mirrored too, the preview starts, and says the images were found
  await seed('otel');
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await expect(page.getByText("Found every image in this account's ECR registry (5), by digest.")).toBeVisible();
  await waitForRun(page, 'awaiting-approval', 120_000);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForRun(page, 'cancelled');
});
