import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { cloudFormationEventIds, shownEventIds } from './support/run-record';
import { sandbox } from './support/sandbox';

test('reload the page and drop the stream mid-deployment without losing or repeating an event', async ({ page, context }) => {
  test.setTimeout(240_000);
  await deploymentFromPlan(page, { name: 'Stream journey', prefix: 'sj' });
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval');
  // slow the sandbox down so the deployment lasts long enough to interrupt it
  await sandbox.setTimeScale(0.03);
  try {
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await expect(page.locator('[data-stack="vpc"] [data-event-id]').first()).toBeAttached();

    // the tab is reloaded mid-deployment
    await page.reload();
    await expect(page.getByTestId('stream-state')).toHaveText('live');

    // the connection drops several times
    for (let i = 0; i < 3; i += 1) {
      await context.setOffline(true);
      await page.waitForTimeout(700);
      await context.setOffline(false);
      await page.waitForTimeout(700);
    }
    await expect(page.locator('[data-stack="common"]')).toHaveAttribute('aria-label', /sj-common: (in-progress|complete)/, { timeout: 60_000 });
  } finally {
    await sandbox.setTimeScale(0.002);
  }
  await waitForRun(page, 'succeeded', 120_000);
  await expect(page.getByTestId('stream-state')).toHaveText('all events received');

  // every event CloudFormation recorded for the run's stacks is shown exactly once
  for (const id of ['vpc', 'common', 'migration', 'services']) {
    const shown = await shownEventIds(page, id);
    expect(shown.sort()).toEqual((await cloudFormationEventIds(sandbox.cloudFormation(), `sj-${id}`)).sort());
  }
});
