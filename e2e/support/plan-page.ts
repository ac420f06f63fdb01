// Helpers for the plan page journeys: open it once the stored plan has been restored, on the
// release line the journey plans for, and read the field a label points at.
import { expect, type Page } from '@playwright/test';

/** The release lines the console offers (templates/stack.ts LINE_IDS). */
export type Release = '2025' | 'current';

/**
 * Opens the plan page on `release` (the 2025 line unless a journey says otherwise). While only one
 * line is registered the page offers no choice and plans on it; once there are more, the journey's
 * line is chosen explicitly, so a journey written for one line keeps planning on it.
 */
export async function openPlan(page: Page, release: Release = '2025') {
  await page.goto('/plan');
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
  await chooseRelease(page, release);
}

/**
 * Chooses the plan's release line when the page offers a choice, and waits until the form shows
 * it (the page comes with one line's fields; another's load when it is chosen).
 */
export async function chooseRelease(page: Page, release: Release) {
  const choice = page.getByRole('radiogroup', { name: 'Release line' });
  if ((await choice.count()) === 0) return;
  const radio = choice.locator(`input[type="radio"][value="${release}"]`);
  await radio.check();
  await expect(radio).toBeChecked();
  await expect(page.locator(`[data-line="${release}"]`)).toBeAttached();
}

/** A stack's parameter section (the <details> element). */
export const stackSection = (page: Page, stackId: string) => page.locator(`details[data-stack="${stackId}"]`);

export async function waitForLaunchList(page: Page, count: number) {
  const list = page.getByRole('list', { name: 'Stacks in deployment order' });
  // The steps themselves, not the lists inside them (the outputs to copy).
  await expect(list.locator(':scope > li')).toHaveCount(count);
  return list;
}
