import { expect, test } from '@playwright/test';
import { PORT } from './support/auth';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { dropProxy } from './support/drop-proxy';
import { cloudFormationEventIds, SHARED_DATA_DIR, shownEventIds, stackEventIds, storedRunEvents } from './support/run-record';
import { sandbox } from './support/sandbox';

const DROPS = 20;

test(`the event stream is cut ${DROPS} times mid-deployment: the browser reconnects, no event is lost or shown twice`, async ({ page }) => {
  test.setTimeout(360_000);
  const proxy = await dropProxy(PORT);
  try {
    await deploymentFromPlan(page, { name: 'Drops journey', prefix: 'dj' });
    await confirmAccess(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    const runId = page.url().split('/').pop()!;
    await waitForRun(page, 'awaiting-approval');

    // the run page, watched through a network that keeps cutting the stream
    await page.goto(`${proxy.url}/runs/${runId}`);
    await expect(page.getByTestId('stream-state')).toHaveText('live');
    // slow the sandbox so the deployment outlasts the drops
    await sandbox.setTimeScale(0.06);
    try {
      await page.getByRole('button', { name: 'Approve and run' }).click();
      await expect(page.locator('[data-stack="vpc"] [data-event-id]').first()).toBeAttached();
      let cut = 0;
      for (let drop = 0; drop < DROPS; drop += 1) {
        // each cut hits a live stream: the browser has reconnected since the last one
        await expect.poll(() => proxy.openStreams(), { timeout: 15_000 }).toBeGreaterThan(0);
        await page.waitForTimeout((drop % 4) * 300);
        cut += proxy.dropStreams();
      }
      expect(cut).toBeGreaterThanOrEqual(DROPS);
      // the cuts all happened while the run was going on
      await expect(page.locator('h1').getByText('running', { exact: true })).toBeVisible();
    } finally {
      await sandbox.setTimeScale(0.002);
    }
    await waitForRun(page, 'succeeded', 240_000);
    await expect(page.getByTestId('stream-state')).toHaveText('all events received');

    // EventSource came back after every cut, resuming after the last event it had
    expect(proxy.resumedAfter.length).toBeGreaterThanOrEqual(DROPS);
    expect(proxy.resumedAfter.every((id) => /^\d+$/.test(id))).toBe(true);
    const stored = storedRunEvents(SHARED_DATA_DIR, runId);
    for (const id of ['vpc', 'common', 'migration', 'services']) {
      const name = `dj-${id}`;
      const recorded = (await cloudFormationEventIds(sandbox.cloudFormation(), name)).sort();
      const shown = await shownEventIds(page, id);
      expect(new Set(shown).size, `${name}: shown twice`).toBe(shown.length);
      expect(shown.sort(), name).toEqual(recorded);
      expect(stackEventIds(stored, name).sort(), `${name} in the store`).toEqual(recorded);
    }
  } finally {
    await proxy.close();
  }
});
