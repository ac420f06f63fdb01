// Steps the deployment journeys share: make a deployment from the plan page, pass the access
// check, preview a run and approve it, wait for it to end.
import { expect, type Page } from '@playwright/test';
import { openPlan, stackSection } from './plan-page';

export interface PlanChoice {
  name: string;
  /** Stack names become <prefix>-vpc, <prefix>-common…; unique per journey, since the suite shares one sandbox. */
  prefix: string;
  include?: { grafana: boolean; otel: boolean; demo: boolean };
}

const TITLES: Record<string, string> = {
  vpc: 'VPC',
  common: 'Common infrastructure',
  migration: 'Database and Kafka setup',
  services: 'Lakerunner services',
  grafana: 'Grafana',
  otel: 'OTEL collector',
  demo: 'Demo apps',
};

/** Fills the plan (new VPC) and saves it as a deployment; ends on the deployment's page. */
export async function deploymentFromPlan(page: Page, choice: PlanChoice) {
  await openPlan(page);
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await page.getByLabel('Plan name').fill(choice.name);
  const include = choice.include ?? { grafana: false, otel: false, demo: false };
  for (const [id, label] of [['grafana', 'Grafana'], ['otel', 'OTEL collector'], ['demo', 'Demo apps']] as const) {
    const box = page.getByRole('checkbox', { name: label });
    if (include[id]) await box.check();
    else await box.uncheck();
  }
  const names = page.getByRole('group', { name: 'Stack names, in deployment order' });
  for (const input of await names.getByRole('textbox').all()) {
    const label = (await input.getAttribute('name'))?.replace('stackNames.', '') ?? '';
    await input.fill(`${choice.prefix}-${label}`);
  }
  await expect(stackSection(page, 'vpc')).toBeVisible();
  await page.getByRole('button', { name: 'Deploy with the console…' }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(choice.name) })).toBeVisible();
}

export { TITLES };

/** Runs the preflight and confirms the sandbox account. */
export async function confirmAccess(page: Page) {
  await page.getByRole('button', { name: 'Check access' }).click();
  await expect(page.getByText('in account 111111111111')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Deploy to account 111111111111' }).check();
}

export async function waitForRun(page: Page, status: 'awaiting-approval' | 'running' | 'succeeded' | 'failed' | 'cancelled', timeout = 90_000) {
  await expect(page.locator('h1').getByText(status, { exact: true })).toBeVisible({ timeout });
}

/** From the plan page: a new deployment whose first run is previewed and approved; returns the run's id. */
export async function approvedDeployment(page: Page, choice: PlanChoice): Promise<string> {
  await deploymentFromPlan(page, choice);
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  const runId = page.url().split('/').pop()!;
  await waitForRun(page, 'awaiting-approval');
  await page.getByRole('button', { name: 'Approve and run' }).click();
  return runId;
}

/** From the deployment page: start an operation, wait for its preview, approve it, wait for the end. */
export async function previewAndApprove(page: Page, button: string, outcome: 'succeeded' | 'failed' = 'succeeded') {
  await page.getByRole('button', { name: button }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, outcome);
}
