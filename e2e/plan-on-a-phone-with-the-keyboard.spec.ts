import { expect, test } from '@playwright/test';
import { openPlan, stackSection } from './support/plan-page';

test.use({ viewport: { width: 375, height: 812 } });

test('plan on a 375 px phone screen and fix an error with the keyboard alone', { tag: '@parallel' }, async ({ page }) => {
  await openPlan(page);
  // nothing is wider than the screen: no sideways scrolling
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // the first field is reachable with Tab from the top of the page (choosing the line moved the focus), and every field has an accessible name
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const unnamed = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll(
    (elements) => elements.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label')).length,
  );
  expect(unnamed).toBe(0);

  // a bad value, then Check plan by keyboard: the summary is announced and the field focused
  const cidr = stackSection(page, 'vpc').getByRole('textbox', { name: 'VPC CIDR block' });
  await cidr.fill('300.0.0.0/16');
  await page.getByRole('button', { name: 'Check plan' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '1 field needs attention' })).toBeVisible();
  await expect(cidr).toBeFocused();
  await expect(cidr).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('10.1.0.0/16');
  await page.keyboard.press('Tab');
  await expect(cidr).not.toHaveAttribute('aria-invalid', 'true');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
