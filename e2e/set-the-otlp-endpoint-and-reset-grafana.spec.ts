import { DescribeStackEventsCommand, DescribeStacksCommand, type Parameter } from '@aws-sdk/client-cloudformation';
import { expect, test, type Page } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, previewAndApprove, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

const parameter = async (stackName: string, key: string) => {
  const { Stacks } = await sandbox.cloudFormation().send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks?.[0]?.Parameters?.find((p: Parameter) => p.ParameterKey === key)?.ParameterValue;
};

/** The operation's preview: which stacks it updates, then approval and the end of the run. */
async function approveUpdateOf(page: Page, stackName: string) {
  await waitForRun(page, 'awaiting-approval');
  const headings = await page.getByRole('region', { name: 'Changes to approve' }).getByRole('heading', { level: 3 }).allTextContents();
  expect(headings.filter((h) => /update|create|delete/i.test(h)).map((h) => /ot-[\w-]+/.exec(h)?.[0])).toEqual([stackName]);
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded');
}

test('point the services’ telemetry at a collector, clear it again, and reset Grafana, each after a preview', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(300_000);
  await deploymentFromPlan(page, { name: 'Day two journey', prefix: 'ot', include: { grafana: true, otel: false, demo: false } });
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await previewAndApprove(page, 'Preview deployment');
  expect(await parameter('ot-services', 'OtelEndpoint')).toBe('');

  // an endpoint without a scheme: the server's field error, beside the field, the value kept
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  let operations = page.getByRole('region', { name: 'Operations' });
  let endpoint = operations.getByRole('textbox', { name: /telemetry goes to/ });
  await endpoint.fill('collector.example.com:4318');
  await operations.getByRole('button', { name: 'Preview setting the endpoint' }).click();
  await expect(endpoint).toHaveAttribute('aria-invalid', 'true');
  await expect(endpoint).toHaveAccessibleDescription(/OTLP endpoint must be empty or an http:\/\/ or https:\/\/ URL/);
  await expect(endpoint).toHaveValue('collector.example.com:4318');
  await expect(page).toHaveURL(deploymentUrl);

  await endpoint.fill('http://collector.example.com:4318');
  await operations.getByRole('button', { name: 'Preview setting the endpoint' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await approveUpdateOf(page, 'ot-services');
  await expect(page.getByRole('table', { name: 'Changed parameters' }).getByRole('row', { name: /OtelEndpoint .*http:\/\/collector\.example\.com:4318/ })).toBeVisible();
  expect(await parameter('ot-services', 'OtelEndpoint')).toBe('http://collector.example.com:4318');

  // clearing it: the field shows the deployed value, the button says what it will do
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  operations = page.getByRole('region', { name: 'Operations' });
  endpoint = operations.getByRole('textbox', { name: /telemetry goes to/ });
  await expect(endpoint).toHaveValue('http://collector.example.com:4318');
  await endpoint.fill('');
  await operations.getByRole('button', { name: 'Preview clearing the endpoint' }).click();
  await approveUpdateOf(page, 'ot-services');
  expect(await parameter('ot-services', 'OtelEndpoint')).toBe('');

  // Grafana reset: one approval, two updates of the Grafana stack (a new token, then none)
  const before = (await sandbox.cloudFormation().send(new DescribeStackEventsCommand({ StackName: 'ot-grafana' }))).StackEvents ?? [];
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  await page.getByRole('region', { name: 'Operations' }).getByRole('button', { name: 'Preview Grafana reset' }).click();
  await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
  await approveUpdateOf(page, 'ot-grafana');
  await expect(page.getByText('ot-grafana: applied; now setting GrafanaResetToken back.')).toBeVisible();
  const after = (await sandbox.cloudFormation().send(new DescribeStackEventsCommand({ StackName: 'ot-grafana' }))).StackEvents ?? [];
  const seen = new Set(before.map((e) => e.EventId));
  const stackUpdates = after.filter((e) => !seen.has(e.EventId) && e.LogicalResourceId === 'ot-grafana' && e.ResourceStatus === 'UPDATE_COMPLETE');
  expect(stackUpdates).toHaveLength(2);
  expect(await parameter('ot-grafana', 'GrafanaResetToken')).toBe('');
});
