// A session keeps a bounded number of live run views open on a replica: one more is refused with a
// 429, and the page says what to do instead of spinning on "reconnecting…".
import { expect, test } from '@playwright/test';
import { ADMIN, ANONYMOUS, BASE_URL, signIn } from './support/auth';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { openRunStream, type StreamClient } from './support/run-record';

const LIMIT = 5;
const MESSAGE = `Too many live views are open in this session (${LIMIT} at most): close another tab or window showing a run, then reload this page.`;

// A session of its own: the limit counts per session, and the suite's saved admin session is
// shared with the journeys running beside this one, whose run pages hold streams too.
test.use({ storageState: ANONYMOUS });

test('a session with too many live views open is told to close one, and gets its view back once it has', { tag: '@parallel' }, async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto('/signin');
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('link', { name: /Your account: admin, admin/ })).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name === 'lr_session');
  expect(session).toBeDefined();
  const cookie = `lr_session=${session!.value}`;
  await deploymentFromPlan(page, { name: 'Live views', prefix: 'lv' });
  await confirmAccess(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval');
  const runUrl = page.url();
  const runId = runUrl.split('/').at(-1)!;
  await expect(page.getByTestId('stream-state')).toHaveText('live');

  // This tab holds one stream; the same session opens the rest elsewhere.
  const others: StreamClient[] = [];
  for (let i = 1; i < LIMIT; i += 1) others.push(await openRunStream(BASE_URL, runId, cookie));
  const refused = await fetch(`${BASE_URL}/api/runs/${runId}/events`, { headers: { cookie } });
  expect(refused.status).toBe(429);
  expect(await refused.json()).toEqual({ error: MESSAGE });

  const another = await context.newPage();
  await another.goto(runUrl);
  await expect(another.getByRole('alert').filter({ hasText: MESSAGE })).toBeVisible();
  await expect(another.getByTestId('stream-state')).toHaveText('not live');

  await others.pop()!.close();
  await another.reload();
  await expect(another.getByTestId('stream-state')).toHaveText('live');
  await expect(another.getByRole('alert').filter({ hasText: MESSAGE })).toHaveCount(0);

  await another.close();
  for (const stream of others) await stream.close();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForRun(page, 'cancelled');
});
