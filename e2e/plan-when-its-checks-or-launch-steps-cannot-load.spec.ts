import { expect, test, type Page, type Route } from '@playwright/test';
import { openPlan, stackSection, waitForLaunchList } from './support/plan-page';

// The plan page draws itself with the framework and the form only; the checks (the plan schema),
// the launch steps and the cost breakdown load after first paint. These journeys cut the
// connection for exactly those parts and check the page says so, keeps what was typed and recovers.

/** Every script the plan page's HTML names: what it needs to draw and hydrate. */
async function firstLoadScripts(page: Page): Promise<Set<string>> {
  const html = await (await page.request.get('/plan')).text();
  return new Set([...html.matchAll(/\/_next\/static\/chunks\/[\w.~-]+\.js/g)].map((m) => m[0]));
}

/** Fails the scripts `refuse` picks, as a dropped connection would; counts them. */
async function refuseScripts(page: Page, refuse: (path: string, body: () => Promise<string>) => Promise<boolean>) {
  const refused: string[] = [];
  const handler = async (route: Route) => {
    const path = new URL(route.request().url()).pathname;
    const response = await route.fetch();
    if (await refuse(path, async () => (await response.body()).toString())) {
      refused.push(path);
      return route.abort('internetdisconnected');
    }
    return route.fulfill({ response });
  };
  await page.route('**/_next/static/chunks/**', handler);
  // Back online: a script whose answer was already being decided is refused as decided (an answer
  // that raced the reconnection), and everything asked for afterwards loads.
  return { refused, restore: () => page.unrouteAll({ behavior: 'wait' }) };
}

test('the checks cannot be loaded: the page says so, keeps the plan, and checks it once they can', { tag: '@parallel' }, async ({ page, baseURL }) => {
  // A planner back on the 2025 line: the page comes with that line's fields (the cookie names the
  // plan's line), so only what loads after first paint is cut off here, not a switch of line.
  await page.context().addCookies([{ name: 'lakerunner.plan.line', value: '2025', domain: new URL(baseURL!).hostname, path: '/plan' }]);
  const initial = await firstLoadScripts(page);
  const loaded: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') loaded.push(response.text().catch(() => ''));
  });
  await openPlan(page);
  // A plan still at its defaults was checked by the server: its launch steps and its estimate
  // show without the checks (zod and the line's schema) loading in the browser.
  await waitForLaunchList(page, 6);
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' }).getByText(/\$[\d,]+\.\d\d/).first()).toBeVisible();
  expect((await Promise.all(loaded)).some((body) => body.includes('must be a network address'))).toBe(false);

  // The connection drops; the planner types, and the checks this needs cannot come.
  const offline = await refuseScripts(page, async (path) => !initial.has(path));
  await page.getByLabel('Plan name').fill('Typed while offline');
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByText('The plan checks could not be loaded: check the connection, then try again (or reload the page).')).toBeVisible();
  // What needs the checks does not pretend: no launch steps for a plan nobody checked, the estimate marked out of date.
  await expect(page.getByText('The commands, links and previews appear here as soon as the plan is valid.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' }).getByRole('status')).toHaveText(/^Out of date/);
  await expect(page.getByLabel('Plan name')).toHaveValue('Typed while offline');
  await expect(page.getByRole('alert').filter({ hasText: /needs? attention/ })).toHaveCount(0); // no field is blamed for a missing script
  // The checks were asked for only once the plan changed, long after the page had drawn itself.
  expect(offline.refused.length).toBeGreaterThan(0);
  expect(offline.refused.every((path) => !initial.has(path))).toBe(true);

  await offline.restore();
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByText('The plan is valid: the server agrees. Launch it below.')).toBeVisible();
  await waitForLaunchList(page, 6);
  await expect(page.getByLabel('Plan name')).toHaveValue('Typed while offline');
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' }).getByRole('status')).toHaveText('');
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' }).getByText(/\$[\d,]+\.\d\d/).first()).toBeVisible();
});

test('the launch steps cannot be loaded: their place says so while the checks and the estimate work', { tag: '@parallel' }, async ({ page }) => {
  await refuseScripts(page, async (path, body) => path.endsWith('.js') && (await body()).includes('AWS CLI commands'));
  await openPlan(page);
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(page.getByText('The plan is valid: the server agrees. Launch it below.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'The launch steps could not be loaded' })).toContainText(
    'check the connection, then reload the page (the plan is kept in this browser)',
  );
  await expect(page.getByRole('region', { name: 'Estimated monthly cost' }).getByText(/\$[\d,]+\.\d\d/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download bundle (YAML)' })).toBeEnabled();
});

test('the password generator cannot be loaded: the field stays as it was and says so, and generates once it can', { tag: '@parallel' }, async ({ page }) => {
  const initial = await firstLoadScripts(page);
  const offline = await refuseScripts(page, async (path) => !initial.has(path));
  await openPlan(page, 'current');
  const services = stackSection(page, 'services');
  const hash = services.getByLabel('Admin password hash');
  await hash.fill('typed before');
  const generate = services.getByRole('button', { name: 'Let the console generate a password' });
  await generate.click();
  await expect(services.getByRole('alert')).toHaveText('The generator could not be loaded: check the connection and try again. The field is unchanged.');
  await expect(hash).toHaveValue('typed before');
  await expect(services.getByLabel('Generated password')).toHaveCount(0);
  await expect(generate).toBeEnabled();

  await offline.restore();
  await generate.click();
  await expect(services.getByLabel('Generated password')).toBeVisible();
  await expect(hash).toHaveValue(/^\$2b\$10\$/);
  await expect(services.getByRole('alert')).toHaveCount(0);
  await services.getByRole('button', { name: 'I have stored it' }).click();
  await expect(services.getByLabel('Generated password')).toHaveCount(0);
});
