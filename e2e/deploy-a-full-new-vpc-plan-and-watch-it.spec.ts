import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox, SANDBOX_CREDENTIALS, SANDBOX_ENDPOINT } from './support/sandbox';

const STACKS = ['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo'];

test('deploy a new-VPC plan with every optional stack and watch it to the end', { tag: '@parallel' }, async ({ page }) => {
  test.setTimeout(180_000);
  await deploymentFromPlan(page, { name: 'Full journey', prefix: 'fj', include: { grafana: true, otel: true, demo: true } });
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await expect(page).toHaveURL(/\/runs\/run-/);
  await waitForRun(page, 'awaiting-approval');

  // one preview of all changes across all stacks, before anything executes
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  for (const id of STACKS) await expect(preview.getByRole('heading', { name: new RegExp(`fj-${id}`) })).toBeVisible();
  await expect(preview.getByRole('table').first().getByRole('row', { name: /Add VPC AWS::EC2::VPC/ })).toBeVisible();
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 150_000);

  // every stack's events appeared, in order, each once
  const stacks = page.getByRole('list', { name: 'Stacks of this run' });
  for (const id of STACKS) {
    const stack = stacks.locator(`[data-stack="${id}"]`);
    await expect(stack).toHaveAttribute('aria-label', `fj-${id}: complete`);
    const ids = await stack.locator('[data-event-id]').evaluateAll((items) => items.map((i) => i.getAttribute('data-event-id')));
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
    const times = await stack.locator('[data-event-id]').allTextContents();
    expect(times.map((t) => t.slice(0, 12))).toEqual([...times.map((t) => t.slice(0, 12))].sort());
    expect(times.at(-1)).toMatch(new RegExp(`fj-${id} CREATE_COMPLETE`));
  }
  await expect(page.getByTestId('run-counts')).toContainText('7/7 stacks');
  const runUrl = page.url();

  // the history lists the run, and its page replays the recorded events
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByRole('link', { name: runUrl.split('/').pop()! }).click();
  await expect(page).toHaveURL(runUrl);
  await page.getByRole('button', { name: 'Replay this run' }).click();
  await expect(page.getByRole('button', { name: 'Stop the replay' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Replay this run' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('run-counts')).toContainText('7/7 stacks');

  // the access points, and the password only on an explicit click
  await page.getByRole('link', { name: 'deployment’s page' }).click();
  const points = page.getByRole('region', { name: 'Access points' });
  await expect(points.getByText(/^http:\/\/.*:3000$/)).toBeVisible();
  await expect(points.getByText('lakerunner', { exact: true })).toBeVisible();
  await expect(points.getByText(/^http:\/\/.*:7101$/)).toBeVisible();
  await expect(points.getByText(/^http:\/\/.*:4318$/)).toBeVisible();
  await expect(points.getByText('otel-raw/')).toBeVisible();
  await expect(page.getByTestId('grafana-password')).toHaveCount(0);
  await points.getByRole('button', { name: 'Reveal password' }).click();
  const shown = await page.getByTestId('grafana-password').textContent();

  // it is the password Secrets Manager holds for the stack's GrafanaAdminSecretArn output
  const outputs = (await sandbox.cloudFormation().send(new DescribeStacksCommand({ StackName: 'fj-grafana' }))).Stacks?.[0]?.Outputs ?? [];
  const arn = outputs.find((o) => o.OutputKey === 'GrafanaAdminSecretArn')?.OutputValue;
  const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS });
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
  expect(JSON.parse(value.SecretString ?? '{}').password).toBe(shown);
  expect(await page.getByRole('row', { name: /fj-grafana/ }).getByRole('link').getAttribute('href')).toContain(
    'us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/stackinfo?stackId=',
  );
  expect(shown).toMatch(/^\S{20,}$/);
});
