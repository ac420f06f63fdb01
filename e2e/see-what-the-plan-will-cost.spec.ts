import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { costPanel, lineItems, settledTotal, totalOf } from './support/cost';
import { openPlan, stackSection } from './support/plan-page';

async function freshPlan(page: Page) {
  await openPlan(page);
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  return settledTotal(page);
}

test('switching off the NAT gateway lowers the estimate by its hours, its address and its data processing', { tag: '@parallel' }, async ({ page }) => {
  const before = await freshPlan(page);
  const nat = (await lineItems(costPanel(page), 'lakerunner-vpc')).filter((l) => /^Nat(Gateway|EIP) /.test(l.text));
  expect(nat.map((l) => l.text)).toEqual([
    expect.stringMatching(/^NatEIP \$3\.65 Public IPv4 address: 730 h 730 address-hour × \$0\.005 /),
    expect.stringMatching(/^NatGateway \$32\.85 NAT gateway: 730 h 730 hour × \$0\.045 /),
    expect.stringMatching(/^NatGateway \$0\.99 Data processed: 22 running tasks × 1 GB usage 22 GB × \$0\.045 /),
  ]);

  await stackSection(page, 'vpc').getByLabel('Create a NAT gateway').selectOption('No');
  const after = await settledTotal(page, before);
  expect(Math.abs(before - (3.65 + 32.85 + 0.99) - after)).toBeLessThanOrEqual(0.01);
  expect((await lineItems(costPanel(page), 'lakerunner-vpc')).some((l) => l.text.startsWith('Nat'))).toBe(false);
});

test('changing the region changes the estimate and says which prices it uses', { tag: '@parallel' }, async ({ page }) => {
  const virginia = await freshPlan(page);
  await expect(costPanel(page)).toContainText('us-east-1 (US East (N. Virginia)) prices.');
  await page.getByLabel('AWS region').selectOption('ap-southeast-2');
  const sydney = await settledTotal(page, virginia);
  expect(sydney).toBeGreaterThan(virginia);
  await expect(costPanel(page)).toContainText('ap-southeast-2 (Asia Pacific (Sydney)) prices; figures marked ≈ are approximate');
  const database = (await lineItems(costPanel(page), 'lakerunner-common')).find((l) => l.text.startsWith('Database $'));
  expect(database?.text).toMatch(/db\.t4g\.medium, PostgreSQL: 730 h 730 instance-hour × \$0\.102 /);
});

test('"Proof of concept" lowers the estimate, and the line items show where', { tag: '@parallel' }, async ({ page }) => {
  const production = await freshPlan(page);
  await expect(page.getByRole('radio', { name: 'Production' })).toBeChecked();
  const workers = (await lineItems(costPanel(page), 'lakerunner-services')).filter((l) => l.text.startsWith('QueryWorkerService'));
  expect(workers[0]?.text).toContain('ARM64 vCPU: 8 tasks × 730 h × 2 vCPU');

  await page.getByRole('radio', { name: 'Proof of concept' }).check();
  const poc = await settledTotal(page, production);
  expect(poc).toBeLessThan(production);
  await expect(stackSection(page, 'services').getByLabel('Number of query-worker tasks')).toHaveValue('1');
  const after = (await lineItems(costPanel(page), 'lakerunner-services')).filter((l) => l.text.startsWith('QueryWorkerService'));
  expect(after[0]?.text).toContain('ARM64 vCPU: 1 task × 730 h × 2 vCPU');
  expect(after[0]!.monthly).toBeCloseTo(workers[0]!.monthly / 8, 1);

  // each count stays editable: three workers is neither size
  await stackSection(page, 'services').getByLabel('Number of query-worker tasks').fill('3');
  const custom = await settledTotal(page, poc);
  expect(custom).toBeGreaterThan(poc);
  await expect(page.getByRole('radio', { name: 'Proof of concept' })).not.toBeChecked();
  await expect(page.getByText('Custom task counts: set in the services and collector stacks below.')).toBeVisible();
});

test('COSTS.md in the downloaded bundle has the figures the page shows', { tag: '@parallel' }, async ({ page }) => {
  const before = await freshPlan(page);
  await page.getByLabel('Plan name').fill('Cost check');
  await page.getByLabel('Telemetry per day (GB)').fill('25');
  await page.getByLabel('Months of growth').fill('6');
  let total = await settledTotal(page, before);
  // the usage assumptions are part of the plan: they survive a reload
  await page.reload();
  await expect(page.locator('[data-restored="true"]')).toBeAttached();
  await expect(page.getByLabel('Telemetry per day (GB)')).toHaveValue('25');
  await expect(page.getByLabel('Months of growth')).toHaveValue('6');
  expect(await settledTotal(page)).toBe(total);
  total = await totalOf(costPanel(page));
  const panel = costPanel(page);
  const subtotals = await panel.locator('summary').filter({ hasText: 'lakerunner-' }).allInnerTexts();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download bundle (YAML)' }).click();
  const files = unzipSync(readFileSync(await (await download).path()));
  const costs = strFromU8(files['cost-check/COSTS.md'] ?? new Uint8Array());

  expect(costs).toContain('# Estimated monthly cost: Cost check');
  expect(costs).toContain('25 GB of telemetry a day; storage projected to month 6.');
  expect(costs).toContain(`**$${total.toLocaleString('en-US', { minimumFractionDigits: 2 })} a month**`);
  expect(subtotals).toHaveLength(6);
  for (const line of subtotals) {
    const [name, ...amount] = line.replace('▸', '').trim().split(/\s+/);
    const row = costs.split('\n').find((l) => l.startsWith(`| ${name} (`));
    expect(row?.split(' | ')[1]).toBe(amount.join(' '));
  }
  expect(await totalOf(panel)).toBe(total);
});
