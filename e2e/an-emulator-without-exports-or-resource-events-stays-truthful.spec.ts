import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

test('on an emulator that reports only stack events and creates stacks without outputs, a refused change set ends the run truthfully', async ({ page }) => {
  test.setTimeout(180_000);
  await sandbox.emulate({ stackEventsOnly: true, stacksWithoutOutputs: ['em-common'] });
  try {
    await deploymentFromPlan(page, { name: 'Emulator journey', prefix: 'em' });
    await confirmAccess(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'failed');

    // the stack whose change set was refused is failed and counted; the one after it never started; none is left in progress
    const graph = page.getByRole('group', { name: 'Stacks of this run as a graph' });
    await expect(graph.getByRole('link', { name: /^em-migration: failed/ })).toBeVisible();
    await expect(graph.getByRole('link', { name: 'em-services: not started' })).toBeVisible();
    await expect(graph.getByRole('link', { name: /in progress/ })).toHaveCount(0);
    await expect(page.getByTestId('run-counts')).toContainText('2/4 stacks done, 0 running, 1 failed');
    await expect(page.locator('[data-stack="migration"]')).toHaveAttribute('aria-label', 'em-migration: failed');

    // the cause appears once, with what to do: the stack that should export it, and its status
    await expect(page.getByText(/No export named em-common-\w+ found/)).toHaveCount(1);
    await expect(page.getByTestId('root-cause')).toContainText('em-migration failed (CHANGE_SET_FAILED)');
    await expect(page.getByTestId('root-cause-guidance')).toContainText(/em-common is CREATE_COMPLETE yet has no \w+ output/);

    // without resource events, the pictures still move: one bar per stack, every resource of a finished stack counted
    const timeline = page.getByRole('list', { name: 'Timeline of this run' });
    const bars = await timeline.getByRole('img').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''));
    expect(bars.map((b) => b.split(':')[0])).toEqual(['em-vpc', 'em-common', 'em-migration']);
    expect(bars[2]).toMatch(/^em-migration: failed/);
    const bar = page.getByRole('progressbar', { name: 'Resources complete' });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(20);
  } finally {
    await sandbox.clearFaults();
  }
});
