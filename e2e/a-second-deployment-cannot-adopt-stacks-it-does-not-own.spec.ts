// Tried as a new user would: a second deployment whose stack names another deployment already uses,
// or whose stacks exist in the account without any deployment, is refused at the access check,
// with the owner named and the ways out, instead of silently adopting them.
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { approvedDeployment, deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

test("a second deployment with another deployment's stack names is refused, naming it", { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await approvedDeployment(page, { name: 'Owner journey', prefix: 'ow' });
  await waitForRun(page, 'succeeded', 120_000);

  await deploymentFromPlan(page, { name: 'Copycat journey', prefix: 'ow' });
  const access = page.getByRole('region', { name: 'AWS access' });
  await access.getByRole('button', { name: 'Check access' }).click();
  await expect(access.getByRole('alert')).toHaveText(
    'The stack ow-vpc (account 111111111111, us-east-1) belongs to the deployment Owner journey. Open Owner journey to change it, or choose other stack names for this deployment (make a new plan with other names).',
  );
  await expect(page.getByRole('checkbox', { name: /Deploy to account/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Preview deployment' })).toBeDisabled();
});

test('stacks that exist in the account without a deployment are refused, pointing to attaching them', { tag: '@parallel' }, async ({ page }) => {
  await sandbox.cloudFormation().send(new CreateStackCommand({ StackName: 'uo-vpc', TemplateBody: JSON.stringify({ Resources: { Log: { Type: 'AWS::Logs::LogGroup' } } }) }));
  await deploymentFromPlan(page, { name: 'Unowned journey', prefix: 'uo' });
  const access = page.getByRole('region', { name: 'AWS access' });
  await access.getByRole('button', { name: 'Check access' }).click();
  await expect(access.getByRole('alert')).toHaveText(
    'A stack named uo-vpc already exists in account 111111111111, us-east-1, and no deployment of this console made or attached it. To manage it here, attach the existing stacks as a deployment (Deployments → Attach existing stacks); otherwise choose other stack names for this deployment (make a new plan with other names).',
  );
  await expect(page.getByRole('checkbox', { name: /Deploy to account/ })).toHaveCount(0);
});
