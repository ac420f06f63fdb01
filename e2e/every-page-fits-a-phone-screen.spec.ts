import { expect, test, type Page } from '@playwright/test';
import { ANONYMOUS } from './support/auth';
import { fillCurrentLineEssentials } from './support/current-deploy';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { chooseRelease, openPlan } from './support/plan-page';
import { expectFitsThePhone, PHONE } from './support/phone-width';
import { sandbox } from './support/sandbox';

// Every page of a whole journey on a 390 px phone: nothing scrolls sideways. Long URLs, commands,
// tables, code and graphs wrap, break or scroll inside their own box.
test.use({ viewport: PHONE });

/** Opens a page by its path and waits for its main heading. */
async function visit(page: Page, path: string, heading: string | RegExp) {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

test('every page of a journey, from signing in to a running deployment and back, fits a 390 px phone screen', async ({ page, browser }) => {
  test.setTimeout(240_000);

  // Signing in, as a visitor would.
  const visitor = await browser.newContext({ storageState: ANONYMOUS, viewport: PHONE });
  const signIn = await visitor.newPage();
  await signIn.goto('/signin');
  await expect(signIn.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expectFitsThePhone(signIn, 'the sign-in page');
  await visitor.close();

  await visit(page, '/', 'Lakerunner stacks');
  await expectFitsThePhone(page, 'the home page');
  await page.getByRole('link', { name: 'VPC', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'VPC' })).toBeVisible();
  await expectFitsThePhone(page, 'a stack of the stacks browser');

  // The plan with everything a valid plan shows: commands, quick-create links, previews.
  await openPlan(page);
  await page.getByLabel('Template base URL (for quick-create links)').fill('https://a-rather-long-bucket-name-for-templates.s3.us-east-1.amazonaws.com/lakerunner/releases/2025/');
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByText('The plan is valid: the server agrees.')).toBeVisible();
  const steps = page.getByRole('list', { name: 'Stacks in deployment order' });
  const first = steps.getByRole('listitem').first();
  await expect(first).toBeVisible();
  await first.getByText('AWS CLI commands').click();
  await expect(first.getByLabel(/^create command for /)).toBeVisible();
  await first.getByRole('button', { name: /^Preview template/ }).click();
  await expect(first.getByLabel(/template preview$/)).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' }).getByText(/\$[\d,]+\.\d\d/).first()).toBeVisible();
  await expectFitsThePhone(page, 'the plan page with its launch steps, a command and a template');
  // Every release line the console offers: each draws its own stacks, graph and fields.
  if ((await page.getByRole('radiogroup', { name: 'Release line' }).count()) > 0) {
    await chooseRelease(page, 'current');
    // what the current line needs before it is valid: a license, an organization, a Dex admin password
    await fillCurrentLineEssentials(page, () => expectFitsThePhone(page, 'the plan page showing a generated password'));
    await page.getByRole('button', { name: 'Check plan' }).click();
    await expect(page.getByText('The plan is valid: the server agrees.')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Stacks in deployment order' }).getByRole('listitem').first()).toBeVisible();
    await expectFitsThePhone(page, 'the plan page on the current release line');
    await chooseRelease(page, '2025');
  }

  // An existing VPC, its subnets picked from the account, and a mistake to fix.
  await page.getByLabel('Use an existing VPC').check();
  const vpc = page.locator('details[data-stack="common"]').getByRole('combobox', { name: 'VPC', exact: true });
  await vpc.fill((await page.locator('datalist option', { hasText: 'sandbox-workloads' }).getAttribute('value'))!);
  await expect(page.getByRole('group', { name: /Choose from the account/ }).first()).toBeVisible();
  await page.getByLabel('Plan name').fill('not / a name');
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /needs? attention/ })).toBeVisible();
  await expectFitsThePhone(page, 'the plan page on an existing VPC, with errors to fix');

  // A deployment with Grafana and the collector, so that it has access points; its run awaiting
  // approval (the preview of every change), running, and done.
  await deploymentFromPlan(page, { name: 'Phone journey', prefix: 'phone', include: { grafana: true, otel: true, demo: false } });
  await expectFitsThePhone(page, 'a new deployment');
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval');
  const runId = page.url().split('/').pop()!;
  await expectFitsThePhone(page, 'a run awaiting approval, with its preview');
  // slower than the suite's usual pace, so the run is seen while it runs
  await sandbox.setTimeScale(0.01);
  try {
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'running');
    await expect(page.getByRole('list', { name: 'Timeline of this run' }).getByRole('img').first()).toBeVisible();
    await expectFitsThePhone(page, 'a running run');
  } finally {
    await sandbox.setTimeScale(0.002);
  }
  await waitForRun(page, 'succeeded', 150_000);
  await expectFitsThePhone(page, 'a finished run');

  await page.getByRole('link', { name: 'deployment’s page' }).click();
  await expect(page.getByRole('region', { name: 'Access points' })).toBeVisible();
  await expectFitsThePhone(page, 'the deployment page with its access points');

  await visit(page, '/deployments', 'Deployments');
  await expectFitsThePhone(page, 'the deployments list');
  await visit(page, '/deployments/attach', 'Attach existing stacks');
  await page.getByRole('button', { name: 'Discover stacks' }).click();
  await expect(page.getByRole('region', { name: 'phone', exact: true }).getByRole('row', { name: /phone-vpc/ })).toBeVisible();
  await expectFitsThePhone(page, 'the stacks found to attach');
  await visit(page, '/history', 'History');
  await expect(page.getByRole('link', { name: runId })).toBeVisible();
  await expectFitsThePhone(page, 'the history');
  await visit(page, '/account', 'Your account');
  await expectFitsThePhone(page, 'the account page');
  await visit(page, '/admin/users', 'Users');
  await expectFitsThePhone(page, 'the users page');
  await visit(page, '/admin/audit', 'Audit log');
  await expectFitsThePhone(page, 'the audit log');
});
