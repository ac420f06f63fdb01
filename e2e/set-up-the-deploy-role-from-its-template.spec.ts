import { readFile } from 'node:fs/promises';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

interface RoleTemplate {
  Parameters: Record<string, { Default?: string; NoEcho?: boolean }>;
  Resources: Record<string, { Type: string; Properties: { AssumeRolePolicyDocument?: { Statement: { Principal: unknown; Condition: unknown }[] } } }>;
}

test('download the deploy role template, create the role with it, and deploy through the role', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(120_000);
  await deploymentFromPlan(page, { name: 'Deploy role journey', prefix: 'dr' });
  const access = page.getByRole('region', { name: 'AWS access' });
  await access.getByRole('button', { name: 'Check access' }).click();
  await expect(access).toContainText('The console acts as arn:aws:iam::111111111111:user/sandbox');

  // the template that trusts the identity the check found, with the ExternalId left to the user
  const download = page.waitForEvent('download');
  await access.getByRole('link', { name: 'Download a role template that trusts this identity' }).click();
  const body = await readFile((await (await download).path())!, 'utf8');
  const template = parse(body, { version: '1.1' }) as RoleTemplate;
  expect(template.Parameters.TrustedPrincipalArn?.Default).toBe('arn:aws:iam::111111111111:user/sandbox');
  expect(template.Parameters.ExternalId).toMatchObject({ NoEcho: true });
  expect(template.Parameters.ExternalId?.Default).toBeUndefined();
  const role = Object.values(template.Resources).find((r) => r.Type === 'AWS::IAM::Role')!;
  expect(role.Properties.AssumeRolePolicyDocument!.Statement).toEqual([
    expect.objectContaining({ Principal: { AWS: { Ref: 'TrustedPrincipalArn' } }, Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } } }),
  ]);

  // the user creates the role stack as they would with the AWS CLI
  const cfn = sandbox.cloudFormation();
  await cfn.send(
    new CreateStackCommand({
      StackName: 'dr-deploy-role',
      TemplateBody: body,
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'ExternalId', ParameterValue: 'dr-external-id-7f3a' }],
    }),
  );
  let roleArn: string | undefined;
  await expect
    .poll(async () => {
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'dr-deploy-role' }))).Stacks?.[0];
      roleArn = stack?.Outputs?.find((o) => o.OutputKey === 'RoleArn')?.OutputValue;
      return stack?.StackStatus;
    }, { timeout: 60_000 })
    .toBe('CREATE_COMPLETE');

  // then gives the console the role and its ExternalId
  await access.getByRole('textbox', { name: 'Role to assume (optional)' }).fill(roleArn!);
  await access.getByLabel('ExternalId').fill('dr-external-id-7f3a');
  await access.getByRole('button', { name: 'Check access' }).click();
  await expect(access).toContainText(`assumed-role/${roleArn!.split('/').pop()}/lakerunner-console-admin`);
  await page.getByRole('checkbox', { name: 'Deploy to account 111111111111' }).check();
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');
  await expect(page.getByRole('region', { name: 'Changes to approve' }).getByRole('heading', { name: /dr-vpc create/ })).toBeVisible();

  // cancelling the preview releases the stacks and changes nothing
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForRun(page, 'cancelled');
  await expect(cfn.send(new DescribeStacksCommand({ StackName: 'dr-vpc' }))).rejects.toThrow(/does not exist/);
});
