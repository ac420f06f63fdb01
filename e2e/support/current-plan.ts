// Steps the current-line deployment journeys share: fill a current-line plan (the sandbox's sample
// license, a generated organization and Dex password, stack names with the journey's prefix, and
// for plans that bring their own, the customer's VPC, subnets and cluster), save it as a
// deployment, and give a run the secrets the console never stores.
import { expect, type Page } from '@playwright/test';
import { fillCurrentLineEssentials } from './current-deploy';
import { openPlan, stackSection } from './plan-page';

/** A customer's own network and ECS cluster, as the plan names them. */
export interface CustomerEnvironment {
  vpcId: string;
  privateSubnets: string[];
  publicSubnets: string[];
  clusterName: string;
  clusterArn: string;
}

export interface CurrentPlanChoice {
  name: string;
  /** Stack names become <prefix>-<id>; unique per journey, since the suite shares one sandbox. */
  prefix: string;
  /** The customer's VPC and cluster instead of the proof-of-concept ones. */
  customer?: CustomerEnvironment;
  /** With the CloudWatch metrics stream. */
  cwmetrics?: boolean;
}

const textbox = (page: Page, stack: string, label: string) => stackSection(page, stack).getByRole('textbox', { name: label, exact: true });

/**
 * Fills the plan on the current line: a proof of concept of the smallest size, the secrets and
 * the cooked bucket named by the prefix (the default names are one per account and region).
 */
export async function fillCurrentPlan(page: Page, choice: CurrentPlanChoice) {
  await openPlan(page, 'current');
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await page.getByLabel('Plan name').fill(choice.name);
  await page.getByRole('radio', { name: 'Proof of concept', exact: true }).check();
  await fillCurrentLineEssentials(page);
  await textbox(page, 'infra-base', 'License secret name').fill(`${choice.prefix}-cardinal-license`);
  await textbox(page, 'infra-base', 'Admin key secret name').fill(`${choice.prefix}-cardinal-admin-key`);
  await textbox(page, 'infra-base', 'Cooked bucket name (blank = default)').fill(`${choice.prefix}-cardinal-cooked`);
  // (before the names: a stack left out has no name field)
  if (choice.cwmetrics) await page.getByRole('checkbox', { name: 'CloudWatch metrics stream' }).check();
  if (choice.customer) await fillCustomerEnvironment(page, choice.customer);
  const names = page.getByRole('group', { name: 'Stack names, in deployment order' });
  for (const input of await names.getByRole('textbox').all()) {
    const id = (await input.getAttribute('name'))?.replace('stackNames.', '') ?? '';
    await input.fill(`${choice.prefix}-${id}`);
  }
}

/** The plan's "Use your VPC" and no proof-of-concept cluster, with the customer's ids in every field that asks for them. */
async function fillCustomerEnvironment(page: Page, env: CustomerEnvironment) {
  await page.getByLabel('Use your VPC').check();
  await page.getByRole('checkbox', { name: 'ECS cluster (proof of concept)' }).uncheck();
  const privates = env.privateSubnets.join(',');
  const fields: [string, string, string][] = [
    ['infra-base', 'VPC for the security groups', env.vpcId],
    ['infra-base', 'ECS cluster ARN', env.clusterArn],
    ['infra-rds', 'VPC', env.vpcId],
    ['infra-rds', 'Private subnets', privates],
    ['satellite-services', 'ECS cluster ARN', env.clusterArn],
    ['satellite-services', 'VPC', env.vpcId],
    ['satellite-services', 'Load balancer subnets', privates],
    ['satellite-services', 'Task subnets', privates],
    ['services', 'VPC', env.vpcId],
    ['services', 'Private subnets', privates],
    ['services', 'Public subnets', env.publicSubnets.join(',')],
    ['services', 'ECS cluster name', env.clusterName],
    ['services', 'ECS cluster ARN', env.clusterArn],
  ];
  // (a VPC field offers the account's VPCs as a list: a combobox)
  for (const [stack, label, value] of fields)
    await (label.startsWith('VPC') ? stackSection(page, stack).getByRole('combobox', { name: label, exact: true }) : textbox(page, stack, label)).fill(value);
}

/** Saves the filled plan as a deployment; ends on the deployment's page. */
export async function saveCurrentDeployment(page: Page, name: string) {
  await page.getByRole('button', { name: 'Deploy with the console…' }).click();
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(name) })).toBeVisible();
}
