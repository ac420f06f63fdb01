import { expect, test } from '@playwright/test';
import { confirmAccess, deploymentFromPlan, waitForRun } from './support/deploy';
import { endpointWithoutServiceQuotas } from './support/endpoint-without-service-quotas';
import { ownConsole } from './support/own-console';
import { SANDBOX_CREDENTIALS, SANDBOX_ENDPOINT } from './support/sandbox';

// What the SDK says about an answer it cannot read ("Unexpected token '<'… inspect the hidden
// field {error}.$response") is for the server log, never for the page.
const SDK_INTERNALS = /Unexpected token|not valid JSON|Deserialization|\$response|hidden field|UnknownError|@aws-sdk|@smithy/;

test('a console whose AWS endpoint answers Service Quotas with a web page says so in words on the run page, and logs the details', { tag: '@parallel' }, async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  // Given a console whose AWS endpoint forwards to the sandbox but answers Service Quotas with an HTML page
  const endpoint = await endpointWithoutServiceQuotas(SANDBOX_ENDPOINT);
  const server = await ownConsole(testInfo.outputPath(), {
    portOffset: 6,
    timeScale: 0.002,
    env: {
      CONSOLE_SANDBOX: 'off',
      AWS_ENDPOINT_URL: endpoint.url,
      AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
  });
  try {
    const { page } = await server.signedInAdmin(browser);

    // When a deployment passes the access check and is previewed
    await deploymentFromPlan(page, { name: 'No quotas here', prefix: 'noquota' });
    await confirmAccess(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    await waitForRun(page, 'awaiting-approval');

    // Then the run's notes say what happened and what it means, in words
    expect(endpoint.refused()).toBeGreaterThan(0);
    await expect(
      page.getByText(
        'The Fargate quota was not checked: Service Quotas could not be asked, because the endpoint answered with a web page (HTML, HTTP 404) instead of an AWS response: whatever answers there (an emulator without this service, or a proxy, gateway or sign-in page in the way) does not serve this AWS API.',
        { exact: false },
      ),
    ).toBeVisible();
    expect(await page.locator('body').innerText()).not.toMatch(SDK_INTERNALS);
    // and the SDK's own words went to the server log, for whoever runs the console
    expect(server.output()).toMatch(/AWS GetServiceQuota: the endpoint answered a web page \(HTML, HTTP 404\) instead of an AWS response\. .*Deserialization error/);

    await page.getByRole('button', { name: 'Cancel' }).click();
    await waitForRun(page, 'cancelled');
  } finally {
    await server.stop();
    await endpoint.close();
  }
});
