import { expect, test } from '@playwright/test';
import { openPlan, waitForLaunchList } from './support/plan-page';

test('the home page draws the stack graph, each stack a link that says what it waits for', { tag: '@parallel' }, async ({ page }) => {
  await page.goto('/');
  // each release line has its own section and graph; this journey looks at the 2025 line's
  const graph = page.getByRole('region', { name: '2025 layout' }).getByRole('group', { name: 'How the stacks depend on each other' });
  await expect(graph.getByRole('link')).toHaveCount(7);
  await expect(graph.getByRole('link', { name: 'VPC (lakerunner-vpc), optional: starts first' })).toBeVisible();
  await expect(graph.getByRole('link', { name: 'Lakerunner services (lakerunner-services): starts after Database and Kafka setup' })).toBeVisible();
  await expect(graph.getByRole('link', { name: 'Demo apps (lakerunner-demo-apps), optional: starts after Lakerunner services and OTEL collector' })).toBeVisible();
  await graph.getByRole('link', { name: /^OTEL collector/ }).click();
  await expect(page).toHaveURL(/\/stacks\/lakerunner-otel-collector$/);
});

test('the plan page graph follows the form: stacks left out are drawn as such, the rest lead to their parameters', { tag: '@parallel' }, async ({ page }) => {
  await openPlan(page);
  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  const graph = page.getByRole('group', { name: "The plan's stacks and what each waits for" });
  await expect(graph.getByRole('link', { name: 'Demo apps: left out' })).toBeVisible();
  await expect(graph.getByRole('link', { name: 'Common infrastructure (lakerunner-common): in the plan, starts after lakerunner-vpc' })).toBeVisible();

  // an existing VPC: the VPC stack drops out and common starts first
  await page.getByLabel('Use an existing VPC').check();
  await expect(graph.getByRole('link', { name: 'VPC: left out: existing VPC' })).toBeVisible();
  await expect(graph.getByRole('link', { name: 'Common infrastructure (lakerunner-common): in the plan, starts first' })).toBeVisible();
  await page.getByLabel('Create a new VPC').check();

  // the demo apps join, after services and the collector; a renamed stack is renamed in the graph
  await page.getByRole('checkbox', { name: 'Demo apps' }).check();
  await page.getByRole('group', { name: 'Stack names, in deployment order' }).getByRole('textbox', { name: /OTEL collector/ }).fill('my-collector');
  await expect(graph.getByRole('link', { name: 'Demo apps (lakerunner-demo-apps): in the plan, starts after lakerunner-services and my-collector' })).toBeVisible();
  await expect(page.getByText('7 of 7 stacks in this plan.')).toBeVisible();

  // a node leads to the stack's parameters; a left-out one to the control that brings it back
  await graph.getByRole('link', { name: /^Lakerunner services/ }).click();
  await expect(page).toHaveURL(/#params-services$/);
  await page.getByRole('checkbox', { name: 'Grafana' }).uncheck();
  await graph.getByRole('link', { name: 'Grafana: left out' }).click();
  await expect(page).toHaveURL(/#field-include-grafana$/);

  // the launch checklist says the same: what each stack waits for, what could run beside it
  const list = await waitForLaunchList(page, 6);
  await expect(list.getByTestId('order-otel')).toHaveText('Start once lakerunner-common is complete. Can run side by side with lakerunner-migration, lakerunner-services.');
  await expect(list.getByTestId('order-vpc')).toHaveText('Start here.');
});
