import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { compare } from 'bcryptjs';
import { strFromU8, unzipSync } from 'fflate';
import { fillCurrentLineEssentials, SAMPLE_LICENSE } from './support/current-deploy';
import { openPlan, stackSection, waitForLaunchList } from './support/plan-page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a newcomer plans a current-line proof of concept with the sample license and a generated Dex password, sees the wiring, downloads the bundle and opens the quick-create steps', { tag: '@parallel' }, async ({ page }) => {
  // Given the plan page on the current line, as it starts: a new VPC and our ECS cluster
  await openPlan(page, 'current');
  await expect(page.getByRole('radiogroup', { name: 'Release line' })).toContainText('There is no in-place path between release lines');
  await page.getByLabel('Plan name').fill('First try');
  await page.getByRole('radio', { name: 'Proof of concept', exact: true }).check();
  await expect(page.getByLabel('Create a VPC for a proof of concept')).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'ECS cluster (proof of concept)' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'CloudWatch metrics stream' })).not.toBeChecked();

  // When the newcomer takes the sandbox's sample license, generates the organization ID and lets the console make the admin password
  const { organization, password, hash } = await fillCurrentLineEssentials(page);
  await expect(stackSection(page, 'services').getByLabel('Organization ID')).toHaveValue(UUID);
  expect(password).toMatch(/^[A-Za-z2-9]{24}$/);
  expect(hash).toMatch(/^\$2b\$10\$/);
  expect(await compare(password, hash)).toBe(true);
  await expect(page.getByText(password)).toHaveCount(0);

  // Then each section says where the plan takes the values it fills: outputs, and one organization and scheme for all
  const wiring = async (stack: string) => {
    const filled = page.getByTestId(`filled-${stack}`);
    await filled.locator('summary').click();
    return filled.getByRole('list');
  };
  const root = await wiring('services');
  await expect(root).toContainText('VpcId from cardinal-poc-vpc output VpcId');
  await expect(root).toContainText('QueueUrl from cardinal-satellite-infra-base output RawQueueUrl');
  await expect(await wiring('infra-base')).toContainText('AlbScheme same as Lakerunner services: Load balancer scheme');
  const collector = await wiring('satellite-services');
  await expect(collector).toContainText('OrganizationId same as Lakerunner services: Organization ID');
  await expect(collector).toContainText('AlbSubnetsCsv from cardinal-poc-vpc output PrivateSubnetsCsv (as AlbScheme is internal)');
  // an internet-facing collector goes into the public subnets
  await stackSection(page, 'satellite-services').getByLabel('Load balancer scheme').selectOption('internet-facing');
  await expect(collector).toContainText('AlbSubnetsCsv from cardinal-poc-vpc output PublicSubnetsCsv (as AlbScheme is internet-facing)');
  await stackSection(page, 'satellite-services').getByLabel('Load balancer scheme').selectOption('internal');

  // And the bundle carries the plan but neither the license nor the Dex hash nor the password
  await waitForLaunchList(page, 7);
  await expect(page.getByTestId('kept-out-of-downloads')).toContainText('parameters/cardinal-lakerunner-infra-base.json: LicenseData');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download bundle (YAML)' }).click();
  const files = unzipSync(readFileSync(await (await download).path()));
  const text = (path: string) => strFromU8(files[`first-try/${path}`] ?? new Uint8Array());
  const parameters = (stem: string) => Object.fromEntries((JSON.parse(text(`parameters/${stem}.json`)) as { ParameterKey: string; ParameterValue: string }[]).map((p) => [p.ParameterKey, p.ParameterValue]));
  expect(parameters('cardinal-lakerunner-infra-base')).toMatchObject({ LicenseData: '', AlbScheme: 'internal' });
  expect(parameters('cardinal-lakerunner-services')).toMatchObject({ OrganizationId: organization, DexAdminPasswordHash: '', QueryWorkerReplicas: '1', ProcessLogsReplicas: '2' });
  expect(parameters('cardinal-satellite-services')).toMatchObject({ OrganizationId: organization, AlbSubnetsCsv: '@AlbSubnetsCsv@' });
  expect(parameters('cardinal-lakerunner-infra-rds').DBInstanceClass).toBe('db.t4g.medium');
  const everything = Object.values(files).map((bytes) => strFromU8(bytes)).join('\n');
  for (const secret of [SAMPLE_LICENSE, hash, password]) expect(everything).not.toContain(secret);

  // And the quick-create steps say which output goes into which parameter; the links carry no secret
  await page.getByLabel('Template base URL (for quick-create links)').fill('https://my-bucket.s3.us-east-1.amazonaws.com/lakerunner/');
  const servicesCard = page.getByRole('listitem', { name: 'Step 7: cardinal-lakerunner-services' });
  const copies = servicesCard.getByRole('list', { name: 'Outputs to copy into cardinal-lakerunner-services' });
  await expect(copies).toContainText('After cardinal-poc-vpc completes, copy');
  await expect(copies).toContainText('output VpcId into parameter VpcId');
  await expect(copies).toContainText('output CollectorEndpoint into parameter SelfTelemetryEndpoint');
  const link = (await servicesCard.getByTestId('launch-services').getAttribute('href')) ?? '';
  expect(link).toContain(`param_OrganizationId=${organization}`);
  expect(link).toContain('stackName=cardinal-lakerunner-services');
  for (const secret of [hash, encodeURIComponent(hash), password]) expect(link).not.toContain(secret);
  const infraLink = (await page.getByTestId('launch-infra-base').getAttribute('href')) ?? '';
  expect(infraLink).not.toContain(encodeURIComponent(SAMPLE_LICENSE));
  expect(infraLink).not.toContain('param_LicenseData');
  await expect(page.getByRole('listitem', { name: 'Step 3: cardinal-lakerunner-infra-base' })).toContainText('Enter LicenseData yourself');
});
