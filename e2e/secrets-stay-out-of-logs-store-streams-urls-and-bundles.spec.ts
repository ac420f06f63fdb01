import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { openPlan, stackSection, waitForLaunchList } from './support/plan-page';
import { ownConsole } from './support/own-console';
import { captureEventStream } from './support/run-record';
import { SANDBOX_CREDENTIALS } from './support/sandbox';

const DIST = join(__dirname, '..', process.env.NEXT_DIST_DIR || '.next');
const ROLE_ARN = 'arn:aws:iam::111111111111:role/LakerunnerDeployRole';
/** The ExternalId the sandbox's deploy role trusts (lib/sandbox/auth/identity.ts). */
const EXTERNAL_ID = 'lakerunner-sandbox';
const NO_ECHO = `noecho-api-key-${Date.now().toString(36)}-canary`;
/** The current line's license token, typed into the plan: kept out of the bundle too. */
const LICENSE = `z64:license-${Date.now().toString(36)}-canary`;
/** Seals the run's NoEcho value in the store while the run lasts; itself a secret. */
const SECRETS_KEY = randomBytes(32).toString('base64');
/** Typed first by mistake: refused by AWS, and a secret all the same. */
const WRONG_EXTERNAL_ID = `wrong-external-id-${Date.now().toString(36)}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('after a current-line plan with a license and a generated Dex password, and a full deployment through an assumed role, no secret is in the logs, the store, the event stream, URLs, links, downloads or client bundles', { tag: '@parallel' }, async ({ browser }, testInfo) => {
  test.setTimeout(360_000);
  const server = await ownConsole(testInfo.outputPath(), { portOffset: 1, timeScale: 0.002, env: { CONSOLE_SECRETS_KEY: SECRETS_KEY } });
  try {
    const { context, page } = await server.signedInAdmin(browser);
    const urls: string[] = [];
    context.on('request', (request) => urls.push(request.url()));
    const browserLog: string[] = [];
    page.on('console', (message) => browserLog.push(message.text()));

    // given a current-line plan with a license and a generated Dex password, checked by the server,
    // downloaded as a bundle, launched through quick-create links and saved as a deployment
    await openPlan(page, 'current');
    await page.getByLabel('Plan name').fill('Secrets current');
    await stackSection(page, 'infra-base').getByLabel(/License token/).fill(LICENSE);
    const services = stackSection(page, 'services');
    await services.getByRole('button', { name: 'Generate organization id' }).click();
    await expect(services.getByLabel('Organization ID')).not.toHaveValue('');
    await services.getByRole('button', { name: 'Let the console generate a password' }).click();
    await expect(services.getByLabel('Generated password')).toBeVisible();
    const dexPassword = (await services.getByLabel('Generated password').textContent()) ?? '';
    const dexHash = await services.getByLabel('Admin password hash').inputValue();
    expect(dexHash).toMatch(/^\$2b\$10\$/);
    await page.getByRole('button', { name: 'Check plan' }).click();
    await expect(page.getByText('The plan is valid: the server agrees.')).toBeVisible();
    await page.getByLabel('Template base URL (for quick-create links)').fill('https://my-bucket.s3.us-east-1.amazonaws.com/lakerunner/');
    const launchLinks = (await waitForLaunchList(page, 7)).locator('a[data-testid^="launch-"]');
    await expect(launchLinks).toHaveCount(7);
    const links = await launchLinks.evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    const bundleDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download bundle (YAML)' }).click();
    const bundle = Object.values(unzipSync(readFileSync(await (await bundleDownload).path()))).map((bytes) => strFromU8(bytes)).join('\n');
    expect(bundle).toContain('cardinal-lakerunner-services');
    await page.getByRole('button', { name: 'Deploy with the console…' }).click();
    await expect(page).toHaveURL(/\/deployments\/dep-[0-9a-f]{12}$/);

    // given a deployment of all seven stacks that assumes a role with an ExternalId
    await deploymentFromPlan(page, { name: 'Secrets journey', prefix: 'sx', include: { grafana: true, otel: true, demo: true } });
    const access = page.getByRole('region', { name: 'AWS access' });
    await access.getByRole('textbox', { name: 'Role to assume (optional)' }).fill(ROLE_ARN);
    await access.getByLabel('ExternalId').fill(WRONG_EXTERNAL_ID);
    await access.getByRole('button', { name: 'Check access' }).click();
    await expect(access.getByRole('alert')).toContainText('ExternalId');
    await access.getByLabel('ExternalId').fill(EXTERNAL_ID);
    await confirmAccess(page);
    await expect(access).toContainText('assumed-role/LakerunnerDeployRole/lakerunner-console-admin');

    // when it is deployed with a NoEcho API key, watched over its event stream, and the Grafana password is revealed
    await page.getByLabel(/API keys \(YAML\)/).fill(`- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - ${NO_ECHO}\n`);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    const runId = page.url().split('/').pop()!;
    const session = (await context.cookies()).find((c) => c.name === 'lr_session')?.value ?? '';
    expect(session).toMatch(/^[\w-]{43}$/);
    const stream = captureEventStream(`${server.baseUrl}/api/runs/${runId}/events`, `lr_session=${session}`, 280_000);
    await waitForRun(page, 'awaiting-approval');
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 240_000);
    const sse = await stream;
    expect(sse).toContain('"status":"succeeded"');

    await page.getByRole('link', { name: 'deployment’s page' }).click();
    await page.getByRole('region', { name: 'Access points' }).getByRole('button', { name: 'Reveal password' }).click();
    const grafanaPassword = (await page.getByTestId('grafana-password').textContent()) ?? '';
    expect(grafanaPassword).toMatch(/^\S{20,}$/);

    // the NoEcho value did reach AWS: the API keys secret of the common stack holds it
    const outputs = (await server.sandbox.cloudFormation().send(new DescribeStacksCommand({ StackName: 'sx-common' }))).Stacks?.[0]?.Outputs ?? [];
    const secretArn = outputs.find((o) => o.OutputKey === 'ApiKeysSecretArn')?.OutputValue;
    const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: server.sandboxEndpoint, credentials: SANDBOX_CREDENTIALS });
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString).toContain(NO_ECHO);
    await context.close();
    await server.stop();

    // then: the secrets, including the temporary credentials AssumeRole handed out
    const state = JSON.parse(readFileSync(join(server.dataDir, 'sandbox-state.json'), 'utf8')) as { sessions: Record<string, { secretAccessKey: string; sessionToken: string }> };
    const assumed = Object.values(state.sessions);
    expect(assumed.length).toBeGreaterThan(0);
    const SECRETS: Record<string, string> = {
      'sandbox secret access key': SANDBOX_CREDENTIALS.secretAccessKey,
      'NoEcho API key': NO_ECHO,
      'secrets key': SECRETS_KEY,
      ExternalId: EXTERNAL_ID,
      'mistyped ExternalId': WRONG_EXTERNAL_ID,
      'Grafana password': grafanaPassword,
      license: LICENSE,
      'Dex admin password hash': dexHash,
      'Dex admin password': dexPassword,
      'session cookie': session,
      ...Object.fromEntries(assumed.flatMap((s, i) => [[`assumed-role secret key ${i + 1}`, s.secretAccessKey], [`assumed-role session token ${i + 1}`, s.sessionToken]])),
    };

    // and everywhere they must not be
    const places: { name: string; text: string; allows?: string[] }[] = [
      { name: 'server output', text: server.output() },
      { name: 'event stream', text: sse },
      { name: 'requested URLs', text: urls.join('\n') },
      { name: 'quick-create links', text: links.join('\n') },
      { name: 'current-line bundle', text: bundle },
      { name: 'browser console', text: browserLog.join('\n') },
      ...filesUnder(join(DIST, 'static')).map((file) => ({ name: `client bundle ${file.slice(DIST.length + 1)}`, text: readFileSync(file, 'latin1') })),
    ];
    const db = new Database(join(server.dataDir, 'console.db'), { readonly: true });
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const table of tables) {
      // The deployment keeps the ExternalId: it is needed for every AssumeRole.
      places.push({ name: `store table ${table}`, text: JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()), allows: table === 'deployments' ? ['ExternalId'] : [] });
    }
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['run_events', 'runs', 'run_stacks', 'deployments', 'audit_log', 'sessions', 'users']));
    expect(urls.length).toBeGreaterThan(20);

    const found = places.flatMap((place) =>
      Object.entries(SECRETS).filter(([name, value]) => !place.allows?.includes(name) && place.text.includes(value)).map(([name]) => `${name} in ${place.name}`),
    );
    expect(found).toEqual([]);
    testInfo.annotations.push({ type: 'scanned', description: `${Object.keys(SECRETS).length} secrets in ${places.length} places (${tables.length} store tables)` });
  } finally {
    await server.stop();
  }
});
