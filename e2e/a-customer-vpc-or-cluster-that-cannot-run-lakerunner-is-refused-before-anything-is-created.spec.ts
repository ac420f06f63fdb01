import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { giveRunSecrets } from './support/current-deploy';
import { fillCurrentPlan, saveCurrentDeployment, type CustomerEnvironment } from './support/current-plan';
import { confirmAccess, waitForRun } from './support/deploy';
import { stackSection } from './support/plan-page';
import { sandbox } from './support/sandbox';

const CLUSTER = 'cvr-customer-cluster';

test.afterEach(() => sandbox.removeCluster(CLUSTER).catch(() => undefined));

const stacksNamed = async (prefix: string) =>
  ((await sandbox.cloudFormation().send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackName?.startsWith(prefix) && s.StackStatus !== 'DELETE_COMPLETE');

test('a customer VPC given a public subnet as a private one and an ECS cluster without FARGATE is refused on the plan and at the preview, before anything is created, and accepted once fixed', { tag: '@after-parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  // Given a customer's VPC (private subnets in two zones, public ones) and an ECS cluster created without capacity providers
  const vpc = await sandbox.seedNetwork({
    cidrBlock: '10.61.0.0/16',
    subnets: [
      { cidrBlock: '10.61.0.0/24', availabilityZone: 'us-east-1a' },
      { cidrBlock: '10.61.1.0/24', availabilityZone: 'us-east-1b' },
      { cidrBlock: '10.61.100.0/24', availabilityZone: 'us-east-1a', public: true },
      { cidrBlock: '10.61.101.0/24', availabilityZone: 'us-east-1b', public: true },
    ],
  });
  const [privateA, privateB, publicA, publicB] = vpc.subnetIds as [string, string, string, string];
  const { clusterArn } = await sandbox.seedCluster({ clusterName: CLUSTER });
  const customer: CustomerEnvironment = { vpcId: vpc.vpcId, privateSubnets: [privateA, publicB], publicSubnets: [publicA, publicB], clusterName: CLUSTER, clusterArn };

  // When a current-line plan names them, a public subnet among the private ones, and is saved as a deployment
  await fillCurrentPlan(page, { name: 'Customer VPC', prefix: 'cvr', customer });
  await page.getByRole('button', { name: 'Deploy with the console…' }).click();

  // then the plan is refused on the fields, each saying what is wrong and what to do, and nothing is saved
  const services = stackSection(page, 'services');
  await expect(services).toContainText(`Lakerunner services: Private subnets: ${publicB} routes 0.0.0.0/0 to an internet gateway, so it is a public subnet. Give private subnets (with outbound access through a NAT gateway or VPC endpoints).`);
  await expect(services).toContainText(
    `Lakerunner services: ECS cluster name: the ECS cluster ${CLUSTER} does not have the FARGATE capacity provider associated (it has none), and every service of the plan runs on FARGATE. Associate it (aws ecs put-cluster-capacity-providers --cluster ${CLUSTER} --capacity-providers FARGATE FARGATE_SPOT --default-capacity-provider-strategy capacityProvider=FARGATE,weight=1), or turn on “ECS cluster (proof of concept)” so the console creates one.`,
  );
  await expect(stackSection(page, 'infra-rds')).toContainText(`Lakerunner database: Private subnets: ${publicB} routes 0.0.0.0/0 to an internet gateway`);
  await expect(stackSection(page, 'satellite-services')).toContainText(`Satellite OTLP collector: ECS cluster ARN: the ECS cluster ${CLUSTER} does not have the FARGATE capacity provider associated`);
  await expect(page).toHaveURL(/\/plan$/);

  // When the subnets are fixed and the cluster gets FARGATE, the plan is saved
  for (const [stack, label] of [['infra-rds', 'Private subnets'], ['satellite-services', 'Load balancer subnets'], ['satellite-services', 'Task subnets'], ['services', 'Private subnets']] as const)
    await stackSection(page, stack).getByRole('textbox', { name: label, exact: true }).fill(`${privateA},${privateB}`);
  await sandbox.seedCluster({ clusterName: CLUSTER, capacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
  await saveCurrentDeployment(page, 'Customer VPC');
  const deploymentUrl = page.url();

  // When the cluster loses FARGATE before the first deploy (someone re-created it) and the deployment is previewed
  await sandbox.seedCluster({ clusterName: CLUSTER, capacityProviders: ['my-ec2-capacity'] });
  await confirmAccess(page);
  await giveRunSecrets(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();

  // then the run is refused before it starts, naming every field of the cluster once, and nothing was created
  const refusal = page.getByRole('region', { name: 'Operations' }).getByRole('alert');
  await expect(refusal).toContainText(
    `Lakerunner security and storage: ECS cluster ARN, Satellite OTLP collector: ECS cluster ARN, Lakerunner services: ECS cluster name and Lakerunner services: ECS cluster ARN: the ECS cluster ${CLUSTER} does not have the FARGATE capacity provider associated (it has my-ec2-capacity)`,
  );
  await expect(refusal).toContainText('Nothing was created.');
  expect(page.url()).toBe(deploymentUrl);
  await expect(page.getByRole('region', { name: 'Runs' }).getByRole('link', { name: /run-/ })).toHaveCount(0);
  expect(await stacksNamed('cvr-')).toEqual([]);

  // When FARGATE is associated again, the preview runs
  await sandbox.seedCluster({ clusterName: CLUSTER, capacityProviders: ['FARGATE'] });
  await giveRunSecrets(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForRun(page, 'cancelled');
});
