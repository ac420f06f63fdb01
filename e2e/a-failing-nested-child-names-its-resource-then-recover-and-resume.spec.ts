import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect, test } from '@playwright/test';
import { currentDeploymentFromPlan, giveRunSecrets, SAMPLE_LICENSE } from './support/current-deploy';
import { confirmAccess, waitForRun } from './support/deploy';
import { sandbox, stackEvents } from './support/sandbox';

const REGION = 'eu-west-1';
const REASON = 'Injected: the query API service could not place its tasks';

test("a resource of the services root's query tier fails: the cause names the nested stack and its resource, the root rolls back; recover and resume finish", async ({ page }) => {
  test.setTimeout(300_000);
  // the query tier's API service fails on create, wherever the root nests it (the child's path in the sandbox)
  await sandbox.failResource({ stackName: 'fnc-services/Query', logicalId: 'QueryApiService', operation: 'create', reason: REASON });
  try {
    await currentDeploymentFromPlan(page, { name: 'Nested failure journey', prefix: 'fnc', region: REGION });
    await confirmAccess(page);
    await giveRunSecrets(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'failed', 240_000);

    // the root cause names the nested stack, its resource and the reason, in the root stack
    const cfn = sandbox.cloudFormation(REGION);
    const root = (await cfn.send(new DescribeStacksCommand({ StackName: 'fnc-services' }))).Stacks![0]!;
    expect(root.StackStatus).toBe('ROLLBACK_COMPLETE');
    const childName = (await stackEvents(root.StackId!, REGION)).find((e) => e.LogicalResourceId === 'Query' && e.PhysicalResourceId?.startsWith('arn:'))!.PhysicalResourceId!.split('/')[1]!;
    const cause = page.getByTestId('root-cause');
    await expect(cause).toContainText('First failure: QueryApiService (AWS::ECS::Service) in nested stack Query tier (Query)');
    await expect(page.getByTestId('root-cause-child')).toContainText(childName);
    await expect(cause).toContainText('of fnc-services, CREATE_FAILED');
    await expect(cause).toContainText(REASON);

    // the root is failed in the graph and its section, the stacks before it complete
    const graph = page.getByRole('group', { name: 'Stacks of this run as a graph' });
    // (the root's rollback deleted its nested stacks, the failed one included)
    await expect(graph.getByRole('link', { name: /^fnc-services: failed, [\d.]+ s · 7 nested · 7 deleted$/ })).toBeVisible();
    await expect(page.locator('[data-stack="services"]')).toContainText('ROLLBACK_COMPLETE');
    for (const id of ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services'])
      await expect(graph.getByRole('link', { name: new RegExp(`^fnc-${id}: complete`) })).toBeVisible();
    await expect(page.getByTestId('run-counts')).toContainText('6/7 stacks done, 0 running, 1 failed');
    // the failed nested stack is open in the timeline onto its failed resource, whose bar gives the reason on focus
    const timeline = page.getByRole('list', { name: 'Timeline of this run' });
    await expect(timeline.getByRole('button', { name: /^fnc-services, 7 nested stacks/ })).toHaveAttribute('aria-expanded', 'true');
    await expect(timeline.getByRole('button', { name: /^Query tier \(Query\), \d+ resources$/ })).toHaveAttribute('aria-expanded', 'true');
    await expect(timeline.getByRole('img', { name: /^Query tier \(Query\): ROLLBACK_COMPLETE, [\d.]+ s$/ })).toBeVisible();
    await expect(timeline.getByRole('button', { name: /^Process tier \(Process\), / })).toHaveAttribute('aria-expanded', 'false');
    const failedBar = timeline.getByRole('img', { name: /^QueryApiService \(AWS::ECS::Service\): CREATE_FAILED/ });
    await failedBar.focus();
    await expect(page.getByRole('tooltip').filter({ hasText: REASON })).toBeVisible();
    // and the root's section lists its nested stacks as the rollback left them: deleted
    await page.locator('#run-stack-services').getByText(/^Nested stacks \(7\)$/).click();
    const nested = page.getByRole('list', { name: 'Nested stacks of fnc-services' });
    for (const title of ['Certificate', 'Query tier', 'Maestro and Dex']) await expect(nested.getByRole('listitem', { name: `${title}: DELETE_COMPLETE` })).toBeVisible();
    const failedRun = page.url();

    // recover the root (its failed create is deleted), then resume: only the root is created again
    await sandbox.clearFaults();
    await page.getByRole('button', { name: 'Delete fnc-services' }).click();
    await expect(page).not.toHaveURL(failedRun);
    await waitForRun(page, 'succeeded');
    await page.goto(failedRun);
    // the root is created again, so it takes its secrets again: the sample license, a new Dex password shown once
    const recovery = page.getByRole('region', { name: 'What went wrong' });
    await recovery.getByRole('button', { name: 'Use the sample license (sandbox only)' }).click();
    await expect(recovery.getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);
    await recovery.getByRole('button', { name: 'Let the console generate a password' }).click();
    const shown = recovery.getByTestId('generated-password');
    await expect(shown.getByLabel('Generated password')).toHaveText(/^[A-Za-z2-9]{24}$/);
    await expect(recovery.getByLabel(/Admin password hash/)).toHaveValue(/^\$2b\$10\$/);
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    await recovery.getByRole('button', { name: 'Resume the deployment' }).click();
    await expect(page).not.toHaveURL(failedRun);
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    await waitForRun(page, 'awaiting-approval');
    const preview = page.getByRole('region', { name: 'Changes to approve' });
    for (const id of ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services']) await expect(preview.getByRole('heading', { name: new RegExp(`fnc-${id} no changes`) })).toBeVisible();
    await expect(preview.getByRole('heading', { name: /fnc-services create, \d+ changes and 7 nested stacks/ })).toBeVisible();
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 200_000);
    await expect(graph.getByRole('link', { name: /^fnc-services: complete, [\d.]+ s · 7 nested · 7 complete$/ })).toBeVisible();
    const created = (await cfn.send(new DescribeStacksCommand({ StackName: 'fnc-services' }))).Stacks![0]!;
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    // (without the hash the services stack's rule refuses it: Maestro's sign-in needs the admin's password hash)
    expect(created.Parameters?.find((p) => p.ParameterKey === 'DexAdminPasswordHash')?.ParameterValue).toBe('****');
  } finally {
    await sandbox.clearFaults();
  }
});
