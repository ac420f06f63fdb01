import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DeleteBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '@playwright/test';
import { giveRunSecrets } from './support/current-deploy';
import { fillCurrentPlan, saveCurrentDeployment } from './support/current-plan';
import { confirmAccess, waitForRun } from './support/deploy';
import { SANDBOX_CREDENTIALS, SANDBOX_ENDPOINT, sandbox } from './support/sandbox';

const client = { region: 'us-east-1', endpoint: SANDBOX_ENDPOINT, credentials: SANDBOX_CREDENTIALS };
const s3 = new S3Client({ ...client, forcePathStyle: true });
const secrets = new SecretsManagerClient(client);
const exists = (call: Promise<unknown>) =>
  call.then(
    () => true,
    () => false,
  );

test.afterEach(() => s3.send(new DeleteBucketCommand({ Bucket: 'tcl-cardinal-cooked' })).catch(() => undefined));

test('tear down a current-line deployment: the metrics stream first, the raw bucket emptied before its stack, and the retained secrets force-deleted when asked', async ({ page }) => {
  test.setTimeout(420_000);
  // Given a current-line proof of concept with the CloudWatch metrics stream, deployed
  await fillCurrentPlan(page, { name: 'Current teardown', prefix: 'tcl', cwmetrics: true });
  await saveCurrentDeployment(page, 'Current teardown');
  const deploymentUrl = page.url();
  await confirmAccess(page);
  await giveRunSecrets(page);
  await page.getByRole('button', { name: 'Preview deployment' }).click();
  await waitForRun(page, 'awaiting-approval', 120_000);
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 240_000);
  // and the collector and the metric stream wrote two objects into the raw bucket
  const satellite = (await sandbox.cloudFormation().send(new DescribeStacksCommand({ StackName: 'tcl-satellite-infra-base' }))).Stacks![0]!;
  const raw = satellite.Outputs!.find((o) => o.OutputKey === 'RawBucketName')!.OutputValue!;
  for (const key of ['otel-raw/org/a1/logs.binpb', 'cwmetrics-raw/org/metrics.json.gz']) await s3.send(new PutObjectCommand({ Bucket: raw, Key: key, Body: 'x' }));

  // When the deployer asks for a teardown, ticking the force-delete of the retained secrets
  await page.goto(deploymentUrl);
  await confirmAccess(page);
  await expect(page.getByText('The raw bucket is emptied just before its stack is deleted, a step the preview shows: its objects are gone for good.')).toBeVisible();
  await page.getByRole('checkbox', { name: /Also force-delete the retained secrets .* so Lakerunner can be installed again in this account and region/ }).check();
  await page.getByRole('textbox', { name: /Type Current teardown to confirm/ }).fill('Current teardown');
  await page.getByRole('button', { name: 'Preview teardown' }).click();
  await waitForRun(page, 'awaiting-approval', 120_000);

  // then the preview deletes the stacks last first, the metrics stream before the raw bucket it writes to
  const preview = page.getByRole('region', { name: 'Changes to approve' });
  const headings = await preview.getByRole('heading', { level: 3 }).allTextContents();
  expect(headings.map((h) => /tcl-[\w-]+/.exec(h)?.[0])).toEqual(['tcl-cwmetrics', 'tcl-services', 'tcl-satellite-services', 'tcl-satellite-infra-base', 'tcl-infra-rds', 'tcl-infra-base', 'tcl-cluster', 'tcl-vpc']);
  // the services' nested stacks go with their root
  await expect(preview.getByText(/Nested stack .*\(Alb\)/)).toBeVisible();
  // and says what goes for good: the raw bucket's objects, and the three secrets
  await expect(preview.getByRole('row', { name: /Remove RawIngestBucket AWS::S3::Bucket .*emptied first \(2 objects deleted for good\)/ })).toBeVisible();
  for (const secret of ['LicenseSecret', 'AdminKeySecret', 'DBMasterSecret'])
    await expect(preview.getByRole('row', { name: new RegExp(`Remove ${secret} AWS::SecretsManager::Secret .*force-deleted after the stack’s delete, with no recovery window`) })).toBeVisible();
  await expect(page.getByText(`tcl-satellite-infra-base: the teardown empties the raw bucket ${raw} just before deleting the stack (CloudFormation cannot delete a bucket with objects in it): its 2 objects are deleted for good.`)).toBeVisible();
  await expect(page.getByText('tcl-infra-base: after its delete, the teardown force-deletes the retained secrets tcl-cardinal-license and tcl-cardinal-admin-key with no recovery window, as asked: they cannot be restored.')).toBeVisible();

  // When it is approved
  await page.getByRole('button', { name: 'Approve and run' }).click();
  await waitForRun(page, 'succeeded', 240_000);

  // then the bucket and the secrets are gone, so the same names can be installed again; the cooked bucket is kept
  await expect(page.getByText(`tcl-satellite-infra-base: emptied the raw bucket ${raw} (2 objects deleted) before its delete.`)).toBeVisible();
  expect(await exists(s3.send(new HeadBucketCommand({ Bucket: raw })))).toBe(false);
  for (const name of ['tcl-cardinal-license', 'tcl-cardinal-admin-key', 'cardinal-db-master']) expect(await exists(secrets.send(new DescribeSecretCommand({ SecretId: name }))), name).toBe(false);
  expect(await exists(s3.send(new HeadBucketCommand({ Bucket: 'tcl-cardinal-cooked' })))).toBe(true);
  await page.goto(deploymentUrl);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('deleted');
});
