import { randomBytes } from 'node:crypto';
import { CreateStackCommand, DescribeStacksCommand, type CloudFormationClient, type Stack } from '@aws-sdk/client-cloudformation';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { storageState } from './support/auth';
import { sandbox } from './support/sandbox';

test.use({ storageState: storageState('deployer') });

const outputsOf = (stack: Stack) => Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));

async function settled(cfn: CloudFormationClient, stackName: string): Promise<Stack> {
  await expect
    .poll(async () => (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0]?.StackStatus, { timeout: 30_000 })
    .toMatch(/_COMPLETE$|_FAILED$/);
  return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!;
}

/** Creates a stack from the console's own published template, straight in the console's sandbox. */
async function createFromConsoleTemplate(request: APIRequestContext, cfn: CloudFormationClient, stem: string, stackName: string, parameters: Record<string, string>) {
  const template = await request.get(`/templates/${stem}.yaml`);
  expect(template.ok()).toBe(true);
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: await template.text(),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  const stack = await settled(cfn, stackName);
  expect(stack.StackStatus).toBe('CREATE_COMPLETE');
  return stack;
}

test('a deployer attaches stacks launched outside the console and lands on the new deployment', { tag: '@parallel' }, async ({ page, request }) => {
  // Given a VPC, common and migration stack created directly in AWS (the sandbox), with their own names
  const prefix = `att${randomBytes(3).toString('hex')}`;
  const cfn = sandbox.cloudFormation();
  const vpc = outputsOf(await createFromConsoleTemplate(request, cfn, 'lakerunner-vpc', `${prefix}-vpc`, { EnvironmentName: prefix }));
  await createFromConsoleTemplate(request, cfn, 'lakerunner-common', `${prefix}-common`, { VpcId: vpc.VpcId!, PrivateSubnets: vpc.PrivateSubnets!, PublicSubnets: vpc.PublicSubnets! });
  await createFromConsoleTemplate(request, cfn, 'lakerunner-migration', `${prefix}-migration`, { CommonInfraStackName: `${prefix}-common` });

  // When the deployer discovers the region's stacks
  await page.goto('/deployments/attach');
  await expect(page.getByRole('heading', { level: 1, name: 'Attach existing stacks' })).toBeVisible();
  await page.getByLabel('Region').selectOption('us-east-1');
  await page.getByRole('button', { name: 'Discover stacks' }).click();
  await expect(page.getByRole('status').filter({ hasText: /found in us-east-1 \(account \d{12}\)\./ })).toBeVisible();

  // Then the three stacks appear together, complete, under a name taken from the common stack
  const card = page.getByRole('region', { name: prefix, exact: true });
  await expect(card).toBeVisible();
  for (const name of [`${prefix}-vpc`, `${prefix}-common`, `${prefix}-migration`])
    await expect(card.getByRole('row', { name: new RegExp(name) })).toContainText('CREATE_COMPLETE');
  await expect(card.getByText(/No Lakerunner services stack was found/)).toBeVisible();

  // When attached under a name of the deployer's choosing
  const name = `Adopted ${prefix}`;
  await card.getByLabel('Deployment name').fill(name);
  await card.getByRole('button', { name: `Attach as ${name}` }).click();

  // Then the deployment's page opens, showing the adopted stacks
  await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  for (const stackName of [`${prefix}-vpc`, `${prefix}-common`, `${prefix}-migration`]) await expect(page.getByText(stackName, { exact: true }).first()).toBeVisible();

  // And discovering again shows the stacks as attached, with no second attach offered
  await page.goto('/deployments/attach');
  await page.getByRole('button', { name: 'Discover stacks' }).click();
  const again = page.getByRole('region', { name: prefix, exact: true });
  await expect(again.getByRole('link', { name })).toBeVisible();
  await expect(again.getByRole('button', { name: /Attach as/ })).toHaveCount(0);
});
