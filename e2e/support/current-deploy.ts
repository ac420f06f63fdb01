// Steps the current-line deployment journeys share: plan a proof of concept (a new VPC and our
// ECS cluster) with the sandbox's sample license and a generated Dex password, save it as a
// deployment, and give the run its secrets again on the deployment page.
//
// The current line names some resources for one install per account and region (the license and
// admin-key secrets, the cooked and raw buckets, the log groups) and its satellite access role once
// per account, so each journey deploys into a region of its own with a name suffix of its own.
import { expect, type Page } from '@playwright/test';
import { openPlan, stackSection } from './plan-page';
import { captureEventStream } from './run-record';

export const SAMPLE_LICENSE = 'z64:sandbox-sample-license-not-valid-on-aws';

export interface CurrentPlanChoice {
  name: string;
  /** Stack names become <prefix>-<stack id>; unique per journey (scripts/e2e-journeys.test.ts). */
  prefix: string;
  /** A region no other current-line journey deploys into. */
  region: string;
}

export interface CurrentDeployment extends CurrentLineEssentials {
  deploymentUrl: string;
}

export interface CurrentLineEssentials {
  organization: string;
  /** The Dex admin password the plan page generated and showed once. */
  password: string;
  /** Its bcrypt hash, the DexAdminPasswordHash parameter. */
  hash: string;
}

/**
 * What a current-line plan needs before it is valid, filled on the plan page: the sandbox's sample
 * license, a generated organization id, and a Dex admin password the console generates and shows
 * once. `whileShown` runs while the password is on the page, before the user says it is stored.
 */
export async function fillCurrentLineEssentials(page: Page, whileShown?: () => Promise<void>): Promise<CurrentLineEssentials> {
  const infraBase = stackSection(page, 'infra-base');
  await infraBase.getByRole('button', { name: 'Use the sample license (sandbox only)' }).click();
  await expect(infraBase.getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);
  const services = stackSection(page, 'services');
  await services.getByRole('button', { name: 'Generate organization id' }).click();
  await expect(services.getByLabel('Organization ID')).not.toHaveValue('');
  const organization = await services.getByLabel('Organization ID').inputValue();
  await services.getByRole('button', { name: 'Let the console generate a password' }).click();
  const shown = services.getByTestId('generated-password');
  await expect(shown).toContainText('store it now, it is not kept');
  const password = (await shown.getByLabel('Generated password').textContent()) ?? '';
  const hash = await services.getByLabel('Admin password hash').inputValue();
  await whileShown?.();
  await shown.getByRole('button', { name: 'I have stored it' }).click();
  await expect(shown).toHaveCount(0);
  return { organization, password, hash };
}

/** Plans a current-line proof of concept and saves it as a deployment; ends on the deployment's page. */
export async function currentDeploymentFromPlan(page: Page, choice: CurrentPlanChoice): Promise<CurrentDeployment> {
  await openPlan(page, 'current');
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await page.getByLabel('Plan name').fill(choice.name);
  await page.getByLabel('AWS region').selectOption(choice.region);
  await page.getByRole('radio', { name: 'Proof of concept', exact: true }).check();
  await expect(page.getByLabel('Create a VPC for a proof of concept')).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'ECS cluster (proof of concept)' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'CloudWatch metrics stream' })).not.toBeChecked();

  const { organization, password, hash } = await fillCurrentLineEssentials(page);
  await stackSection(page, 'satellite-infra-base').getByLabel('Name suffix').fill(choice.prefix);

  const names = page.getByRole('group', { name: 'Stack names, in deployment order' });
  for (const input of await names.getByRole('textbox').all()) {
    const id = (await input.getAttribute('name'))?.replace('stackNames.', '') ?? '';
    await input.fill(`${choice.prefix}-${id}`);
  }
  await page.getByRole('button', { name: 'Deploy with the console…' }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(choice.name) })).toBeVisible();
  return { deploymentUrl: page.url(), password, hash, organization };
}

/**
 * The deployment page's secret fields for a deploy run: the license and the Dex hash are never
 * stored with the deployment, so each deploy run takes them again, here the sandbox's sample license
 * and a password the console generates and shows once (its hash goes into the field). Returns the password.
 */
export async function giveRunSecrets(page: Page): Promise<{ password: string; hash: string }> {
  const operations = page.getByRole('region', { name: 'Operations' });
  await operations.getByRole('button', { name: 'Use the sample license (sandbox only)' }).click();
  await expect(operations.getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);
  await operations.getByRole('button', { name: 'Let the console generate a password' }).click();
  const shown = operations.getByTestId('generated-password');
  const password = (await shown.getByLabel('Generated password').textContent()) ?? '';
  expect(password).toMatch(/^[A-Za-z2-9]{24}$/);
  const hash = await operations.getByLabel(/Admin password hash/).inputValue();
  expect(hash).toMatch(/^\$2b\$10\$/);
  await shown.getByRole('button', { name: 'I have stored it' }).click();
  await expect(shown).toHaveCount(0);
  return { password, hash };
}

/** The run's event stream as the signed-in browser of `page` would read it, until the run ends. */
export async function captureRunStream(page: Page, runId: string): Promise<string> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return captureEventStream(new URL(`/api/runs/${runId}/events`, page.url()), cookie, 400_000);
}
