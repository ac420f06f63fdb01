import { expect, test, type Page } from '@playwright/test';
import { openPlan, stackSection } from './support/plan-page';

const SAMPLE_LICENSE = 'z64:sandbox-sample-license-not-valid-on-aws';
const LINE_2025 = '**/api/plan/lines/2025';

const radio = (page: Page, release: string) => page.getByRole('radiogroup', { name: 'Release line' }).locator(`input[type="radio"][value="${release}"]`);

test("a planner switches to the release line the page did not come with: its fields load, what was entered on each line is kept, a failed load says so and can be tried again", { tag: '@parallel' }, async ({ page }) => {
  // Given a new plan on the current line (the page comes with that line's fields only) with a name and a license
  await openPlan(page, 'current');
  await page.getByLabel('Plan name').fill('Two lines');
  const infraBase = stackSection(page, 'infra-base');
  await infraBase.getByRole('button', { name: 'Use the sample license (sandbox only)' }).click();
  await expect(infraBase.getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);

  // When the planner chooses the 2025 line while its fields are still on their way
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(LINE_2025, async (route) => {
    await held;
    await route.continue();
  });
  await radio(page, '2025').check();
  // Then the choice says they are loading, and the form stays as it was meanwhile
  const status = page.getByTestId('release-load');
  await expect(status).toHaveText('Loading the fields of the 2025 layout line…');
  await expect(page.getByRole('form', { name: 'Deployment plan' })).toHaveAttribute('aria-busy', 'true');
  await expect(infraBase.getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);
  release();
  // and once they are there the 2025 stacks show, the plan's name carried over
  await expect(page.locator('[data-line="2025"]')).toBeAttached();
  await expect(status).toHaveText('');
  await expect(stackSection(page, 'common')).toBeVisible();
  await expect(stackSection(page, 'infra-base')).toHaveCount(0);
  await expect(page.getByLabel('Plan name')).toHaveValue('Two lines');
  await stackSection(page, 'migration').getByLabel('CPU units').selectOption('1024');
  await page.unroute(LINE_2025);

  // When the planner goes back to the current line: its license is still there
  await radio(page, 'current').check();
  await expect(page.locator('[data-line="current"]')).toBeAttached();
  await expect(stackSection(page, 'infra-base').getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);

  // Given a reload (the page comes with the current line again) and a console that cannot be reached
  await page.reload();
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
  await expect(page.locator('[data-line="current"]')).toBeAttached();
  await page.route(LINE_2025, (route) => route.abort('internetdisconnected'));
  // When the planner chooses the 2025 line
  await radio(page, '2025').click();
  // Then the page says it could not load it, keeps the current line and what was entered, and offers to try again
  await expect(status).toContainText('The fields of the 2025 layout line could not be loaded: The console could not be reached: check the connection. What you entered is kept.');
  await expect(radio(page, 'current')).toBeChecked();
  await expect(page.getByRole('form', { name: 'Deployment plan' })).toHaveAttribute('aria-busy', 'false');
  await expect(stackSection(page, 'infra-base').getByLabel(/License token/)).toHaveValue(SAMPLE_LICENSE);
  // When the connection is back and the planner tries again: the 2025 plan is as it was left
  await page.unroute(LINE_2025);
  await status.getByRole('button', { name: 'Try again' }).click();
  await expect(page.locator('[data-line="2025"]')).toBeAttached();
  await expect(radio(page, '2025')).toBeChecked();
  await expect(stackSection(page, 'migration').getByLabel('CPU units')).toHaveValue('1024');
  await expect(page.getByLabel('Plan name')).toHaveValue('Two lines');

  // Given a browser that kept the plan but not the cookie naming its line (the page then comes with the default line)
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('lakerunner.plan.v1') ?? '{}').release)).toBe('2025');
  await page.evaluate(() => (document.cookie = 'lakerunner.plan.line=; Path=/plan; Max-Age=0'));
  await page.reload();
  // Then the stored plan's line is loaded and the plan restored on it
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
  await expect(page.locator('[data-line="2025"]')).toBeAttached();
  await expect(stackSection(page, 'migration').getByLabel('CPU units')).toHaveValue('1024');
  await expect(page.getByLabel('Plan name')).toHaveValue('Two lines');
});
