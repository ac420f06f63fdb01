import { expect, test, type Page } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { sandbox, stackSpan } from './support/sandbox';

const STACKS = ['vpc', 'common', 'migration', 'services', 'grafana', 'otel', 'demo'];

const pictures = (page: Page) => ({
  graph: page.getByRole('group', { name: 'Stacks of this run as a graph' }),
  bar: page.getByRole('progressbar', { name: 'Resources complete' }),
  timeline: page.getByRole('list', { name: 'Timeline of this run' }),
});
const valueOf = async (bar: ReturnType<typeof pictures>['bar']) => Number(await bar.getAttribute('aria-valuenow'));

test('a full plan runs as fast as its graph allows, drawn live as a graph, a progress bar and a timeline, and again in replay', async ({ page }) => {
  test.setTimeout(240_000);
  // slower than the suite's usual pace, so each state stays on screen long enough to be seen
  await sandbox.setTimeScale(0.01);
  try {
    await deploymentFromPlan(page, { name: 'Graph journey', prefix: 'gj', include: { grafana: true, otel: true, demo: true } });
    await confirmAccess(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    const { graph, bar, timeline } = pictures(page);
    for (const id of STACKS) await expect(graph.getByRole('link', { name: `gj-${id}: previewed` })).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuenow', '0');
    const total = Number(await bar.getAttribute('aria-valuemax'));
    expect(total).toBeGreaterThan(100);

    await page.getByRole('button', { name: 'Approve and run' }).click();
    // live: the VPC completes, the common stack runs with its elapsed time, the bar and the timeline grow
    await expect(graph.getByRole('link', { name: /^gj-vpc: complete, [\d.]+ s$/ })).toBeVisible();
    await expect(graph.getByRole('link', { name: /^gj-common: in progress, [\d.]+ s$/ })).toBeVisible();
    await expect.poll(() => valueOf(bar)).toBeGreaterThan(0);
    await expect(bar).toHaveAttribute('aria-valuetext', /^\d+ of \d+ resources complete, about \d+ s left$/);
    await expect(timeline.getByRole('img', { name: /^gj-common: in-progress, [\d.]+ s so far$/ })).toBeVisible();
    // a row per stack: the running one open onto its resources, the finished VPC closed until opened
    await expect(timeline.getByRole('button', { name: /^gj-common, \d+ resources$/ })).toHaveAttribute('aria-expanded', 'true');
    const vpcRow = timeline.getByRole('button', { name: /^gj-vpc, \d+ resources$/ });
    await expect(vpcRow).toHaveAttribute('aria-expanded', 'false');
    await vpcRow.click();
    await expect(timeline.getByRole('img', { name: /^VPC \(AWS::EC2::VPC\): CREATE_COMPLETE, [\d.]+ s$/ })).toBeVisible();
    await waitForRun(page, 'succeeded', 200_000);
    for (const id of STACKS) await expect(graph.getByRole('link', { name: new RegExp(`^gj-${id}: complete, [\\d.]+ s$`) })).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuenow', String(total));
    await expect(timeline.getByRole('img', { name: /^gj-demo: complete, [\d.]+ s$/ })).toBeVisible();
    // once the run has finished, every stack is a row of its own, closed but the VPC the user opened
    for (const id of STACKS.filter((id) => id !== 'vpc'))
      await expect(timeline.getByRole('button', { name: new RegExp(`^gj-${id}, \\d+ resources?$`) })).toHaveAttribute('aria-expanded', 'false');
    await expect(vpcRow).toHaveAttribute('aria-expanded', 'true');

    // the order CloudFormation saw: each stack after what it depends on, the collector beside migration or services
    const at = Object.fromEntries(await Promise.all(STACKS.map(async (id) => [id, await stackSpan(`gj-${id}`, 'CREATE')] as const)));
    expect(at.migration!.start).toBeGreaterThanOrEqual(at.common!.end);
    expect(at.otel!.start).toBeGreaterThanOrEqual(at.common!.end);
    expect(at.services!.start).toBeGreaterThanOrEqual(at.migration!.end);
    expect(at.grafana!.start).toBeGreaterThanOrEqual(at.services!.end);
    expect(at.demo!.start).toBeGreaterThanOrEqual(Math.max(at.services!.end, at.otel!.end));
    expect(at.otel!.start < Math.max(at.migration!.end, at.services!.end) && at.otel!.end > at.migration!.start).toBe(true);

    // a node leads to its stack's section
    await graph.getByRole('link', { name: /^gj-services:/ }).click();
    await expect(page).toHaveURL(/#run-stack-services$/);
    await expect(page.locator('#run-stack-services')).toBeInViewport();

    // the replay draws the same pictures again from the recorded events
    await page.getByRole('button', { name: 'Replay this run' }).click();
    await expect.poll(() => valueOf(bar)).toBeLessThan(total);
    await expect(graph.getByRole('link', { name: /^gj-demo: (waiting|previewed)$/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Replay this run' })).toBeVisible({ timeout: 30_000 });
    for (const id of STACKS) await expect(graph.getByRole('link', { name: new RegExp(`^gj-${id}: complete, [\\d.]+ s$`) })).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuenow', String(total));
    await expect(timeline.getByRole('img', { name: /^VPC \(AWS::EC2::VPC\): CREATE_COMPLETE/ })).toBeVisible();
  } finally {
    await sandbox.setTimeScale(0.002);
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('the run page draws its pictures live and in replay on a 375 px screen, its graph reachable with the keyboard', { tag: '@parallel' }, async ({ page }) => {
    test.setTimeout(180_000);
    await deploymentFromPlan(page, { name: 'Phone graph journey', prefix: 'pg' });
    await confirmAccess(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    const { graph, bar, timeline } = pictures(page);
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await expect.poll(() => valueOf(bar)).toBeGreaterThan(0);
    await waitForRun(page, 'succeeded');
    await expect(graph.getByRole('link', { name: /^pg-services: complete/ })).toBeVisible();
    await expect(timeline.getByRole('img', { name: /^pg-vpc: complete/ })).toBeAttached();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // from the replay button, Tab reaches the graph's first stack, whose name says its state
    const replay = page.getByRole('button', { name: 'Replay this run' });
    await replay.focus();
    await page.keyboard.press('Tab');
    await expect(graph.getByRole('link', { name: /^pg-vpc: complete/ })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(graph.getByRole('link', { name: /^pg-common: complete/ })).toBeFocused();

    await replay.click();
    await expect(graph.getByRole('link', { name: /^pg-services: (waiting|previewed)$/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Replay this run' })).toBeVisible({ timeout: 30_000 });
    await expect(graph.getByRole('link', { name: /^pg-services: complete/ })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
