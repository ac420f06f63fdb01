// Helpers for the plan page journeys: open it once the stored plan has been restored, and
// read the field a label points at.
import { expect, type Page } from '@playwright/test';

export async function openPlan(page: Page) {
  await page.goto('/plan');
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
}

/** A stack's parameter section (the <details> element). */
export const stackSection = (page: Page, stackId: string) => page.locator(`details[data-stack="${stackId}"]`);

export async function waitForLaunchList(page: Page, count: number) {
  const list = page.getByRole('list', { name: 'Stacks in deployment order' });
  await expect(list.getByRole('listitem')).toHaveCount(count);
  return list;
}
