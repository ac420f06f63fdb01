import { expect, test } from '@playwright/test';
import { openPlan, stackSection } from './support/plan-page';

test('get and fix a validation error in the browser, then one only the server can catch', { tag: '@parallel' }, async ({ page }) => {
  await openPlan(page);

  // In the browser: a CIDR that is not a network address, caught as soon as the field is left.
  const cidr = stackSection(page, 'vpc').getByRole('textbox', { name: 'VPC CIDR block' });
  await cidr.fill('10.0.0.1/16');
  await cidr.blur();
  await expect(cidr).toHaveAttribute('aria-invalid', 'true');
  const message = page.locator(`#${await cidr.getAttribute('id')}-error`);
  await expect(message).toHaveText('VPC CIDR block must be a network address: 10.0.0.1/16 has host bits set.');
  await expect(cidr).toHaveAttribute('aria-describedby', new RegExp(`${await cidr.getAttribute('id')}-error`));

  // Checking the plan lists the problem and puts the focus on the field.
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '1 field needs attention' })).toBeVisible();
  await expect(cidr).toBeFocused();
  await cidr.fill('10.0.0.0/16');
  await expect(cidr).not.toHaveAttribute('aria-invalid', 'true');

  // The server: an existing VPC whose two private subnets sit in one Availability Zone. The
  // browser cannot know the zones; the server asks the connected account (here, the sandbox).
  await page.getByLabel('Use an existing VPC').check();
  const common = stackSection(page, 'common');
  const vpc = common.getByRole('combobox', { name: 'VPC', exact: true });
  const workloads = await page.locator('datalist option', { hasText: 'sandbox-workloads' }).getAttribute('value');
  expect(workloads).toMatch(/^vpc-/);
  await vpc.fill(workloads!);
  const privatePicker = common.getByRole('group', { name: /Choose from the account/ }).first();
  await privatePicker.getByRole('checkbox', { name: /sandbox-workloads-private-a/ }).check();
  await privatePicker.getByRole('checkbox', { name: /sandbox-workloads-public-a/ }).check();
  const privateSubnets = common.getByRole('textbox', { name: 'Private subnets' });
  await expect(privateSubnets).toHaveValue(/^subnet-\w+,subnet-\w+$/);
  await expect(privateSubnets).not.toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(privateSubnets).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`#${await privateSubnets.getAttribute('id')}-error`)).toContainText(
    'Private subnets must span at least two Availability Zones',
  );
  await expect(privateSubnets).toBeFocused();
  // Nothing the user entered was lost on the error.
  await expect(vpc).toHaveValue(workloads!);

  await privatePicker.getByRole('checkbox', { name: /sandbox-workloads-public-a/ }).uncheck();
  await privatePicker.getByRole('checkbox', { name: /sandbox-workloads-private-b/ }).check();
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByText('The plan is valid: the server agrees.')).toBeVisible();
  await expect(privateSubnets).not.toHaveAttribute('aria-invalid', 'true');
});
