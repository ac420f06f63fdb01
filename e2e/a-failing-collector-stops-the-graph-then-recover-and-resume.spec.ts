import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox, stackEvents, stackSpan } from './support/sandbox';

test('the collector fails while services runs: services finishes, nothing new starts, the cause names the collector; recover and resume finish', async ({ page }) => {
  test.setTimeout(240_000);
  // The collector's load balancer fails once services is in progress (the sandbox holds it until
  // then), so no slowed clock races the engine's start of services. The clock is slow enough that
  // services (3 min of ECS service at least, about 4 s here) outlasts the console's noticing the
  // failure, so nothing new starts meanwhile.
  await sandbox.setTimeScale(0.02);
  try {
    await sandbox.failResource({
      stackName: 'cf-otel',
      logicalId: 'CollectorLoadBalancer',
      operation: 'create',
      reason: 'Injected: no capacity for the load balancer',
      whileInProgress: 'cf-services',
    });
    await deploymentFromPlan(page, { name: 'Collector failure journey', prefix: 'cf', include: { grafana: true, otel: true, demo: true } });
    await confirmAccess(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'failed', 200_000);

    // the root cause names the collector
    const cause = page.getByTestId('root-cause');
    await expect(cause).toContainText('CollectorLoadBalancer');
    await expect(cause).toContainText('cf-otel');
    await expect(cause).toContainText('Injected: no capacity for the load balancer');
    const graph = page.getByRole('group', { name: 'Stacks of this run as a graph' });
    await expect(graph.getByRole('link', { name: /^cf-otel: failed/ })).toBeVisible();
    await expect(graph.getByRole('link', { name: /^cf-services: complete/ })).toBeVisible();
    await expect(graph.getByRole('link', { name: 'cf-grafana: not started' })).toBeVisible();
    await expect(graph.getByRole('link', { name: 'cf-demo: not started' })).toBeVisible();
    await expect(page.getByTestId('run-counts')).toContainText('4/7 stacks done, 0 running, 1 failed');
    await expect(page.locator('[data-stack="grafana"]')).toHaveAttribute('aria-label', 'cf-grafana: not-started');
    // the failed bar in the timeline gives its reason on focus
    const failedBar = page.getByRole('img', { name: /^CollectorLoadBalancer \(AWS::ElasticLoadBalancingV2::LoadBalancer\): CREATE_FAILED/ });
    await failedBar.focus();
    await expect(page.getByRole('tooltip').filter({ hasText: 'Injected: no capacity for the load balancer' })).toBeVisible();

    // services was running when the collector failed, and was followed to its end
    const failedAt = (await stackEvents('cf-otel')).find((e) => e.ResourceStatus === 'CREATE_FAILED')!.Timestamp!.getTime();
    const services = await stackSpan('cf-services', 'CREATE');
    expect(services.start).toBeLessThanOrEqual(failedAt);
    expect(services.end).toBeGreaterThan(failedAt);
    const failedRun = page.url();

    // recover the collector (its failed create is deleted), then resume: only what the graph had left runs
    await sandbox.setTimeScale(0.002);
    await page.getByRole('button', { name: 'Delete cf-otel' }).click();
    await expect(page).not.toHaveURL(failedRun);
    await waitForRun(page, 'succeeded');
    await page.goto(failedRun);
    await page.getByRole('button', { name: 'Resume the deployment' }).click();
    await expect(page).toHaveURL(/\/runs\/run-/);
    await waitForRun(page, 'awaiting-approval');
    const preview = page.getByRole('region', { name: 'Changes to approve' });
    for (const id of ['vpc', 'common', 'migration', 'services']) await expect(preview.getByRole('heading', { name: new RegExp(`cf-${id} no changes`) })).toBeVisible();
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 120_000);
    for (const id of ['grafana', 'otel', 'demo']) await expect(graph.getByRole('link', { name: new RegExp(`^cf-${id}: complete`) })).toBeVisible();
  } finally {
    await sandbox.setTimeScale(0.002);
    await sandbox.clearFaults();
  }
});
