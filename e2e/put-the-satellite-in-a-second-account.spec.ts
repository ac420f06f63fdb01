import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test, type Page } from '@playwright/test';
import { fillCurrentLineEssentials } from './support/current-deploy';
import { waitForRun } from './support/deploy';
import { expectFitsThePhone, PHONE } from './support/phone-width';
import { openPlan, stackSection, waitForLaunchList } from './support/plan-page';
import { SANDBOX_CREDENTIALS, SANDBOX_ENDPOINT, sandboxControl } from './support/sandbox';

const A = '111111111111';
const B = '222222222222';
const ROLE_IN_B = `arn:aws:iam::${B}:role/SatelliteJourneyDeploy`;
const EXTERNAL_ID = `satellite-${Date.now().toString(36)}`;
const control = sandboxControl(SANDBOX_ENDPOINT, 'e2e-sandbox-control-token');
const SATELLITE = ['satellite-infra-base', 'satellite-services'];

/** Account B as its owner prepares it: a deploy role trusting account A with an ExternalId, a network and an ECS cluster with Fargate. */
async function prepareAccountB() {
  await control('POST', 'roles', {
    arn: ROLE_IN_B,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }] },
  });
  const network = (await control('POST', 'network', {
    accountId: B,
    cidrBlock: '10.61.0.0/16',
    subnets: [
      { cidrBlock: '10.61.0.0/20', availabilityZone: 'us-east-1a' },
      { cidrBlock: '10.61.16.0/20', availabilityZone: 'us-east-1b' },
    ],
  })) as { vpcId: string; subnetIds: string[] };
  const { clusterArn } = (await control('POST', 'ecs/clusters', { accountId: B, clusterName: 'satellite-journey', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] })) as { clusterArn: string };
  return { vpcId: network.vpcId, subnets: network.subnetIds.join(','), clusterArn };
}

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
/** The parameters a quick-create link carries (after the last '?', in its fragment). */
const linkParams = (href: string | null) => new URLSearchParams((href ?? '').slice((href ?? '').lastIndexOf('?') + 1));

test('put the satellite in a second account: plan it, check both accounts, approve a preview grouped by account and watch each stack deploy in its own account', async ({ page }) => {
  test.setTimeout(300_000);
  const b = await prepareAccountB();

  // Given a current-line proof of concept, every stack named with this journey's prefix
  await openPlan(page, 'current');
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await page.getByLabel('Plan name').fill('Satellite elsewhere');
  await page.getByRole('radio', { name: 'Proof of concept', exact: true }).check();
  const plan = { prefix: 'xacct' };
  const names = page.getByRole('group', { name: 'Stack names, in deployment order' });
  for (const input of await names.getByRole('textbox').all()) {
    const id = (await input.getAttribute('name'))?.replace('stackNames.', '') ?? '';
    await input.fill(`${plan.prefix}-${id}`);
  }
  await fillCurrentLineEssentials(page);
  await field(page, 'params.infra-base.CookedBucketName').fill('xacct-cardinal-cooked');
  await field(page, 'params.infra-base.LicenseSecretName').fill('xacct-cardinal-license');
  await field(page, 'params.infra-base.AdminKeySecretName').fill('xacct-cardinal-admin-key');

  // When the satellite goes to account B, first with mistakes: each is said on its own field
  const accounts = page.getByRole('region', { name: 'AWS accounts' });
  const elsewhere = accounts.getByRole('checkbox', { name: 'Put the satellite in another AWS account' });
  // (by default every stack is in the deployment's account, and the section asks nothing)
  await expect(elsewhere).not.toBeChecked();
  await expect(accounts.getByLabel('Account ID')).toHaveCount(0);
  await elsewhere.check();
  await accounts.getByLabel('Account ID').fill('2222');
  await accounts.getByLabel('Deploy role ARN').fill('arn:aws:iam::333333333333:role/Elsewhere');
  await accounts.getByLabel('Region').selectOption('eu-west-1');
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(accounts.getByText('Account ID must be 12 digits, such as 222222222222.')).toBeVisible();
  await expect(accounts.getByText(/The satellite must be in the deployment’s region/)).toBeVisible();
  await accounts.getByLabel('Account ID').fill(B);
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(accounts.getByText(`The role must be in account ${B}, the account the stacks go to.`)).toBeVisible();
  await expect(accounts.getByLabel('Deploy role ARN')).toHaveAttribute('aria-invalid', 'true');

  // then right, with the ExternalId B's role asks for
  await accounts.getByLabel('Deploy role ARN').fill(ROLE_IN_B);
  await accounts.getByLabel('Region').selectOption('us-east-1');
  await accounts.getByLabel('External ID (optional)').fill(EXTERNAL_ID);
  // the satellite's stacks say where they go, and the collector asks for B's own network and cluster
  const collector = stackSection(page, 'satellite-services');
  await expect(collector.getByTestId('account-of-satellite-services')).toHaveText(`in account ${B}`);
  await expect(page.getByRole('link', { name: /^Satellite ingest bucket and queue \(xacct-satellite-infra-base\): in the plan in account 222222222222,/ }).first()).toBeAttached();
  await field(page, 'params.satellite-services.VpcId').fill(b.vpcId);
  await field(page, 'params.satellite-services.AlbSubnetsCsv').fill(b.subnets);
  await field(page, 'params.satellite-services.TaskSubnetsCsv').fill(b.subnets);
  await field(page, 'params.satellite-services.EcsClusterArn').fill(b.clusterArn);
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByText('The plan is valid: the server agrees.')).toBeVisible();
  // the ExternalId is not in the URL or in the page's stored plan
  expect(page.url()).not.toContain(EXTERNAL_ID);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(EXTERNAL_ID);
  await page.setViewportSize(PHONE);
  await accounts.scrollIntoViewIfNeeded();
  await expectFitsThePhone(page, 'the plan with the satellite in another account');
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('button', { name: 'Deploy with the console…' }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  const deploymentUrl = page.url();
  await expect(page.getByTestId('other-account-satellite')).toHaveText(`xacct-satellite-infra-base, xacct-satellite-services in account ${B} · us-east-1 · assumes ${ROLE_IN_B}`);

  // When both accounts are checked
  await page.getByRole('button', { name: 'Check access' }).click();
  await expect(page.getByText(`in account ${A}`).first()).toBeVisible();
  await expect(page.getByTestId(`access-other-${B}`)).toContainText(`acts as arn:aws:sts::${B}:assumed-role/SatelliteJourneyDeploy/`);
  await expect(page.getByTestId(`access-other-${B}`)).toContainText('xacct-satellite-infra-base, xacct-satellite-services');
  await page.getByRole('checkbox', { name: `Deploy to account ${A} and ${B}` }).check();
  // the run's secrets, given again on the deployment page
  const operations = page.getByRole('region', { name: 'Operations' });
  await operations.getByRole('button', { name: 'Use the sample license (sandbox only)' }).click();
  await operations.getByRole('button', { name: 'Let the console generate a password' }).click();
  await operations.getByRole('button', { name: 'I have stored it' }).click();
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the deployment page checking two accounts');
  await page.setViewportSize({ width: 1280, height: 900 });
  await operations.getByRole('button', { name: 'Preview deployment' }).click();

  // Then the preview groups the changes by account
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');
  const inA = page.getByRole('region', { name: `Changes in account ${A}, us-east-1` });
  const inB = page.getByRole('region', { name: `Changes in account ${B}, us-east-1` });
  await expect(inA.locator('[data-preview-stack]')).toHaveCount(5);
  await expect(inA.locator('[data-preview-stack="services"]')).toBeVisible();
  await expect(inB.locator('[data-preview-stack]')).toHaveCount(2);
  for (const id of SATELLITE) await expect(inB.locator(`[data-preview-stack="${id}"]`)).toBeVisible();
  await expect(inB.locator('[data-preview-stack="satellite-infra-base"]')).toContainText('LakerunnerPrincipal');
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the preview grouped by account');
  await page.setViewportSize({ width: 1280, height: 900 });

  // When it is approved, each stack shows its account while the run goes on, and the run succeeds
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await expect(page.getByTestId('stack-account-satellite-services')).toHaveText(`account ${B}, us-east-1`);
  await expect(page.getByTestId('stack-account-services')).toHaveText(`account ${A}, us-east-1`);
  await waitForRun(page, 'succeeded', 240_000);
  await expect(page.getByRole('link', { name: /^xacct-satellite-services: complete/ })).toHaveAttribute('aria-label', new RegExp(`account ${B}, us-east-1`));
  await expect(page.getByText(`Acting as arn:aws:sts::${B}:assumed-role/SatelliteJourneyDeploy/`)).toBeVisible();
  await page.setViewportSize(PHONE);
  await expectFitsThePhone(page, 'the run page showing accounts');
  await page.setViewportSize({ width: 1280, height: 900 });

  // And the deployment page lists the satellite's stacks in B, and the Maestro step carries B's bucket and role
  await page.getByRole('link', { name: 'Satellite elsewhere' }).click();
  const stacks = page.getByRole('region', { name: 'Stacks' });
  await expect(stacks.getByRole('row', { name: /xacct-satellite-infra-base/ })).toContainText(`account ${B}`);
  const step = page.getByText(`Map account ${B}’s raw bucket in Maestro`);
  await expect(step).toBeVisible();
  const steps = page.getByRole('region', { name: 'After the install' });
  await expect(steps).toContainText(`cardinal-otel-raw-${B}-us-east-1`);
  await expect(steps).toContainText(`arn:aws:iam::${B}:role/cardinal-satellite-access`);
  expect(await page.content()).not.toContain(EXTERNAL_ID);

  // And the plan's quick-create steps read each stack's outputs in its own account, and say where to sign in for each link
  await openPlan(page, 'current');
  await page.getByLabel('Template base URL (for quick-create links)').fill('https://xacct-templates.s3.us-east-1.amazonaws.com/lakerunner/');
  await waitForLaunchList(page, 7);
  await expect(page.getByTestId('sign-in-satellite-services')).toHaveText(`Sign in to the AWS console in account ${B}, us-east-1, to launch this stack.`);
  await expect(page.getByTestId('sign-in-satellite-infra-base')).toHaveText(`Sign in to the AWS console in account ${B}, us-east-1, to launch this stack.`);
  await expect(page.getByTestId('sign-in-services')).toHaveText('Sign in to the AWS console in the deployment’s account, us-east-1, to launch this stack.');
  // B's queue and access role, read in B through its role, fill the services link; A's process role, read in A, the satellite's
  await expect.poll(async () => linkParams(await page.getByTestId('launch-services').getAttribute('href')).get('param_QueueUrl') ?? '').toContain(`/${B}/`);
  expect(linkParams(await page.getByTestId('launch-services').getAttribute('href')).get('param_QueueRoleArn')).toMatch(new RegExp(`^arn:aws:iam::${B}:role/cardinal-satellite-access`));
  expect(linkParams(await page.getByTestId('launch-satellite-infra-base').getAttribute('href')).get('param_LakerunnerPrincipal')).toMatch(new RegExp(`^arn:aws:iam::${A}:role/`));
  expect(linkParams(await page.getByTestId('launch-satellite-services').getAttribute('href')).get('param_RawBucketName')).toBe(`cardinal-otel-raw-${B}-us-east-1`);
  for (const link of await page.getByRole('link', { name: /Launch stack/ }).all()) expect(await link.getAttribute('href')).not.toContain(EXTERNAL_ID);
  expect(page.url()).not.toContain(EXTERNAL_ID);
  await page.setViewportSize(PHONE);
  await page.getByTestId('sign-in-satellite-services').scrollIntoViewIfNeeded();
  await expectFitsThePhone(page, 'the launch steps across two accounts');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(deploymentUrl);

  // Cleaning up for the journeys after this one: the console tears it down, account by account, then what the line keeps by design goes
  await page.getByRole('button', { name: 'Check access' }).click();
  await page.getByRole('checkbox', { name: `Deploy to account ${A} and ${B}` }).check();
  await page.getByRole('textbox', { name: /Type Satellite elsewhere to confirm/ }).fill('Satellite elsewhere');
  await page.getByRole('button', { name: 'Preview teardown' }).click();
  await waitForRun(page, 'awaiting-approval');
  await expect(page.getByRole('region', { name: `Changes in account ${B}, us-east-1` }).locator('[data-preview-stack]')).toHaveCount(2);
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 240_000);
  const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS });
  for (const secret of ['xacct-cardinal-license', 'xacct-cardinal-admin-key', 'cardinal-db-master']) await secrets.send(new DeleteSecretCommand({ SecretId: secret, ForceDeleteWithoutRecovery: true }));
  const s3 = new S3Client({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS, forcePathStyle: true });
  await s3.send(new DeleteBucketCommand({ Bucket: 'xacct-cardinal-cooked' }));
});
