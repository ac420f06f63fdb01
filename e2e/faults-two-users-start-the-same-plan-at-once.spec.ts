import { expect, test, type Page } from '@playwright/test';
import { storageState } from './support/auth';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';

test('two users start the same plan at once: one run starts, the other is refused with the run in progress named', { tag: '@parallel' }, async ({ page, browser }) => {
  test.setTimeout(120_000);
  await deploymentFromPlan(page, { name: 'Race journey', prefix: 'rc' });
  const deploymentUrl = page.url();
  const deployer = await browser.newContext({ storageState: storageState('deployer') });
  const other = await deployer.newPage();
  await other.goto(deploymentUrl);
  await confirmAccess(page);
  await confirmAccess(other);

  // both press the button together
  const buttons = [page, other].map((p) => p.getByRole('button', { name: 'Preview deployment' }));
  await Promise.all(buttons.map((button) => button.click()));

  // exactly one lands on its run; the other stays, told which run holds the stacks
  const onRun = (p: Page) => /\/runs\/run-[0-9a-f]{12}$/.test(p.url());
  await expect.poll(() => [page, other].filter(onRun).length, { timeout: 30_000 }).toBe(1);
  const winner = onRun(page) ? page : other;
  const loser = winner === page ? other : page;
  const runId = winner.url().split('/').pop()!;
  const refusal = loser.getByRole('region', { name: 'Operations' }).getByRole('alert');
  await expect(refusal).toContainText(`is in use by run ${runId}. Wait for it to finish (or cancel it) before starting another.`);
  await expect(loser).toHaveURL(deploymentUrl);

  // the deployment has that one run only
  await loser.reload();
  await expect(loser.getByRole('link', { name: /^run-[0-9a-f]{12}$/ })).toHaveCount(1);
  await expect(loser.getByRole('link', { name: runId })).toBeVisible();

  // the run goes on undisturbed; cancelling it frees the stacks for the other user
  await waitForRun(winner, 'awaiting-approval');
  await winner.getByRole('button', { name: /^Cancel/ }).click();
  await waitForRun(winner, 'cancelled');
  await deployer.close();
});
