// Reading the cost estimate as a user sees it: the panel's total and a stack's line items.
import { expect, type Locator, type Page } from '@playwright/test';

export const costPanel = (page: Page) => page.getByRole('region', { name: 'Estimated monthly cost' });

/** Dollars in "$1,228.45" ("< $0.01" counts as 0). */
export const dollars = (text: string) => (text.includes('<') ? 0 : Number(text.replace(/[^0-9.]/g, '')));

export async function totalOf(region: Locator): Promise<number> {
  return dollars(await region.locator('[data-cost="total"]').innerText());
}

/** The total once the panel shows an estimate that is not being updated (and differs from `previous`, if given). */
export async function settledTotal(page: Page, previous?: number): Promise<number> {
  const panel = costPanel(page);
  await expect(panel.locator('[data-cost="total"]')).toBeVisible();
  await expect(panel.getByRole('status')).toHaveText('');
  if (previous !== undefined) await expect.poll(() => totalOf(panel)).not.toBe(previous);
  await expect(panel.getByRole('status')).toHaveText('');
  return totalOf(panel);
}

/** A stack's line items ("LogicalId $monthly what is counted quantity × unit price"), opened as a user would. */
export async function lineItems(scope: Locator, stackName: string): Promise<{ text: string; monthly: number }[]> {
  const list = scope.getByRole('list', { name: `Line items of ${stackName}` });
  if (!(await list.isVisible())) await scope.locator('summary', { hasText: stackName }).click();
  await expect(list).toBeVisible();
  const texts = (await list.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  return texts.map((text) => ({ text, monthly: dollars(/^\S+ (< \$0\.01|\$[\d,]+\.\d\d)/.exec(text)?.[1] ?? 'NaN') }));
}
