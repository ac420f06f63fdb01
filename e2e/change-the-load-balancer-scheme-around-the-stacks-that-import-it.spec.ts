import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, previewAndApprove, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

test('change the load-balancer scheme of a deployed plan with Grafana: the preview names the blocking stacks, and the approved sequence completes', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(300_000);
  // Given a deployed plan with Grafana
  await deploymentFromPlan(page, { name: 'Scheme journey', prefix: 'lbs', include: { grafana: true, otel: false, demo: false } });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await previewAndApprove(page, 'Preview deployment');
  const cfn = sandbox.cloudFormation();
  const outputs = async (name: string) => Object.fromEntries(((await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const albBefore = (await outputs('lbs-common')).AlbArn;

  // When the load balancer is made internet-facing
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  const settings = page.getByRole('region', { name: 'Operations' });
  await settings.getByLabel('Load balancer scheme').selectOption('internet-facing');
  // the form says what that means before anything runs, and that it would be plain HTTP
  await expect(settings.getByText(/Changing AlbScheme of lbs-common replaces LoadBalancer, QueryApiListener, GrafanaListener and HttpRedirectListener .* which lbs-services and lbs-grafana import/)).toBeVisible();
  await expect(settings.getByText(/The run therefore deletes lbs-grafana and lbs-services first and creates them again/)).toBeVisible();
  await expect(settings.getByText(/internet-facing without a certificate: the Grafana admin password/)).toBeVisible();
  // without a certificate, plain HTTP must be allowed explicitly: the server refuses it beside the certificate field
  await settings.getByRole('button', { name: 'Preview settings change' }).click();
  await expect(settings.getByRole('textbox', { name: /Load balancer certificate ARN/ })).toHaveAccessibleDescription(/would carry its traffic across the internet in clear.*AlbAllowPlainHttp Yes/);
  await expect(page).toHaveURL(deploymentUrl);
  await settings.getByLabel('Allow plain HTTP on an internet-facing load balancer').selectOption('Yes');
  await expect(settings.getByText(/internet-facing without a certificate: the Grafana admin password/)).toBeVisible();
  await settings.getByRole('button', { name: 'Preview settings change' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await waitForRun(page, 'awaiting-approval');

  // then the preview names the blocking stacks and the sequence that works, with what it loses
  const plan = page.getByRole('region', { name: 'Stacks deleted and created again' });
  await expect(plan).toContainText('Changing AlbScheme of lbs-common changes lbs-common-AlbArn');
  await expect(plan).toContainText('which lbs-services and lbs-grafana import');
  await expect(plan).toContainText('CloudFormation would refuse that update half-way');
  await expect(plan.getByRole('listitem').nth(0)).toHaveText('deletes lbs-grafana and lbs-services, the last created first;');
  await expect(plan.getByRole('listitem').nth(1)).toHaveText('updates lbs-common;');
  await expect(plan.getByRole('listitem').nth(2)).toHaveText('creates lbs-services and lbs-grafana again from the plan.');
  await expect(plan).toContainText('the new stack generates a new password');
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  await expect(preview.getByRole('heading', { name: /lbs-common update/ })).toBeVisible();
  await expect(preview.getByRole('row', { name: /Modify LoadBalancer AWS::ElasticLoadBalancingV2::LoadBalancer Replaced/ })).toBeVisible();
  await expect(preview.getByRole('heading', { name: /lbs-grafana delete, then create again: \d+ resources removed, \d+ added/ })).toBeVisible();
  const graph = page.getByRole('group', { name: 'Stacks of this run as a graph' });
  await expect(graph.getByRole('link', { name: /^lbs-(services|grafana): to delete and create again$/ })).toHaveCount(2);
  await expect(graph.getByRole('link', { name: 'lbs-common: previewed' })).toBeVisible();

  // approving needs the deployment's name
  const approve = page.getByRole('button', { name: 'Approve and run' });
  await expect(approve).toBeDisabled();
  await page.getByLabel(/Type Scheme journey to confirm/).fill('Scheme journey');
  await approve.click();
  await waitForRun(page, 'succeeded', 240_000);

  // each stack's row and node say what happened to it
  await expect(page.getByTestId('run-counts')).toContainText('3/3 stacks done, 0 running');
  await expect(graph.getByRole('link', { name: /^lbs-(services|grafana): deleted and created again, / })).toHaveCount(2);
  await expect(page.getByRole('listitem', { name: 'lbs-grafana: complete' })).toBeVisible();
  // the timeline shows the delete and the create as two bars of lbs-grafana's own row
  await expect(page.getByRole('list', { name: 'Timeline of lbs-grafana' }).getByRole('img', { name: /^lbs-grafana: (DELETE|CREATE)_COMPLETE/ })).toHaveCount(2);

  // and in AWS: a new load balancer, internet-facing, services and Grafana created again on it
  const after = await outputs('lbs-common');
  expect(after.AlbArn).not.toBe(albBefore);
  const common = (await cfn.send(new DescribeStacksCommand({ StackName: 'lbs-common' }))).Stacks?.[0];
  expect(common?.Parameters?.find((p) => p.ParameterKey === 'AlbScheme')?.ParameterValue).toBe('internet-facing');
  for (const name of ['lbs-services', 'lbs-grafana']) expect((await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');

  // the deployment keeps the new scheme, and its Grafana is on the new load balancer
  await page.goto(deploymentUrl);
  await expect(page.getByLabel('Load balancer scheme')).toHaveValue('internet-facing');
  await expect(page.getByRole('region', { name: 'Access points' })).toContainText(`http://${after.AlbDnsName}:3000`);
});
