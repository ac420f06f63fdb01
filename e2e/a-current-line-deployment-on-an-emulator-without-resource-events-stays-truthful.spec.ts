import { expect, test } from '@playwright/test';
import { currentDeploymentFromPlan, giveRunSecrets } from './support/current-deploy';
import { confirmAccess, waitForRun } from './support/deploy';
import { sandbox } from './support/sandbox';

const STACKS = ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services', 'services'];

test("on an emulator that reports only stack events, a current-line run's nested stacks are told truthfully: counted, never left running", { tag: '@after-parallel' }, async ({ page }) => {
  test.setTimeout(240_000);
  await sandbox.emulate({ stackEventsOnly: true });
  try {
    await currentDeploymentFromPlan(page, { name: 'Current emulator journey', prefix: 'ecl', region: 'ap-southeast-2' });
    await confirmAccess(page);
    await giveRunSecrets(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    const bar = page.getByRole('progressbar', { name: 'Resources complete' });
    const total = Number(await bar.getAttribute('aria-valuemax'));
    expect(total).toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 200_000);

    // every stack complete; the root's node counts its nested stacks without claiming a state nobody reported
    const graph = page.getByRole('group', { name: 'Stacks of this run as a graph' });
    for (const id of STACKS.filter((s) => s !== 'services')) await expect(graph.getByRole('link', { name: new RegExp(`^ecl-${id}: complete, [\\d.]+ s$`) })).toBeVisible();
    const root = graph.getByRole('link', { name: /^ecl-services: complete, [\d.]+ s · 7 nested/ });
    await expect(root).toBeVisible();
    expect(await root.getAttribute('aria-label')).not.toMatch(/running|failed/);
    await expect(graph.getByRole('link', { name: /in progress/ })).toHaveCount(0);
    await expect(page.getByTestId('run-counts')).toContainText('7/7 stacks done, 0 running, 0 failed');
    // the bar counts every resource of the finished stacks, the nested stacks' included
    await expect(bar).toHaveAttribute('aria-valuenow', String(total));
    // the timeline has a bar per stack, the root's from its own events
    const timeline = page.getByRole('list', { name: 'Timeline of this run' });
    for (const id of STACKS) await expect(timeline.getByRole('img', { name: new RegExp(`^ecl-${id}: complete, [\\d.]+ s$`) })).toBeVisible();
    await expect(timeline.getByRole('img', { name: /IN_PROGRESS|so far/ })).toHaveCount(0);
    // the root's section lists its nested stacks, none of them said to be running
    await page.locator('#run-stack-services').getByText(/^Nested stacks \(7\)$/).click();
    const nested = page.getByRole('list', { name: 'Nested stacks of ecl-services' }).getByRole('listitem');
    await expect(nested).toHaveCount(7);
    for (const label of await nested.evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''))) expect(label).toMatch(/: (CREATE_COMPLETE|not reported)$/);
  } finally {
    await sandbox.clearFaults();
  }
});
