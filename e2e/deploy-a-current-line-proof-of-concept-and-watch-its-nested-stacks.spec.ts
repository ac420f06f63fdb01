import { DescribeStacksCommand, ListStackResourcesCommand, type CloudFormationClient, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { expect, test, type Page } from '@playwright/test';
import { captureRunStream, currentDeploymentFromPlan, giveRunSecrets, SAMPLE_LICENSE } from './support/current-deploy';
import { confirmAccess, waitForRun } from './support/deploy';
import { expectFitsThePhone, PHONE } from './support/phone-width';
import { sandbox } from './support/sandbox';

const STACKS = ['vpc', 'cluster', 'infra-base', 'infra-rds', 'satellite-infra-base', 'satellite-services', 'services'];
/** The services root's nested stacks as the run page names them: title (logical id). */
const CHILDREN = ['Certificate (Cert)', 'Load balancer (Alb)', 'Database migration (Migration)', 'Query tier (Query)', 'Process tier (Process)', 'Control tier (Control)', 'Maestro and Dex (Maestro)'];
const REGION = 'us-west-2';
const NEW_LAKERUNNER = 'public.ecr.aws/cardinalhq.io/lakerunner:v1.81.1';

const pictures = (page: Page) => ({
  graph: page.getByRole('group', { name: 'Stacks of this run as a graph' }),
  bar: page.getByRole('progressbar', { name: 'Resources complete' }),
  timeline: page.getByRole('list', { name: 'Timeline of this run' }),
});

/** Every resource of a stack and of the stacks nested in it (each nested stack a resource of its parent too), as CloudFormation lists them. */
async function allResources(cfn: CloudFormationClient, stack: string): Promise<StackResourceSummary[]> {
  const own: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stack, NextToken: token }));
    own.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  const nested = own.filter((r) => r.ResourceType === 'AWS::CloudFormation::Stack' && r.PhysicalResourceId);
  return [...own, ...(await Promise.all(nested.map((r) => allResources(cfn, r.PhysicalResourceId!)))).flat()];
}

const parameterOf = async (cfn: CloudFormationClient, stack: string, key: string) =>
  (await cfn.send(new DescribeStacksCommand({ StackName: stack }))).Stacks?.[0]?.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;

test('a newcomer deploys a current-line proof of concept, watches its nested stacks, ticks off the Maestro step and updates the images', async ({ page, context }) => {
  test.setTimeout(420_000);
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  // slower than the suite's usual pace, so the services root is seen running with its children
  await sandbox.setTimeScale(0.006);
  try {
    // Given a current-line proof of concept planned with the sample license and saved as a deployment
    const plan = await currentDeploymentFromPlan(page, { name: 'Current journey', prefix: 'dcl', region: REGION });
    const deploymentUrl = page.url();
    await confirmAccess(page);
    const secrets = await giveRunSecrets(page);

    // When it is previewed
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    const runId = page.url().split('/').pop()!;
    const stream = captureRunStream(page, runId);
    await waitForRun(page, 'awaiting-approval');

    // Then the preview lists every stack, says which parameter comes from which output, and lists the root's nested stacks
    const preview = page.getByRole('region', { name: 'Changes to approve' });
    for (const id of STACKS) await expect(preview.getByRole('heading', { name: new RegExp(`dcl-${id}\\b`) })).toBeVisible();
    const services = preview.locator('[data-preview-stack="services"]');
    await services.getByText(/^Parameters from other stacks' outputs \(\d+\)/).click();
    const wiring = services.getByRole('table', { name: "Parameters of dcl-services from other stacks' outputs" });
    await expect(wiring.getByRole('row', { name: /^QueueUrl dcl-satellite-infra-base\.RawQueueUrl not known yet$/ })).toBeVisible();
    await expect(wiring.getByRole('row', { name: /^QueueRoleArn dcl-satellite-infra-base\.LakerunnerAccessRoleArn not known yet$/ })).toBeVisible();
    await expect(wiring.getByRole('row', { name: /^SelfTelemetryEndpoint dcl-satellite-services\.CollectorEndpoint not known yet$/ })).toBeVisible();
    await expect(wiring.getByRole('row', { name: /^DbEndpoint dcl-infra-rds\.DbEndpoint not known yet$/ })).toBeVisible();
    await expect(preview.getByRole('heading', { name: /dcl-services create, \d+ changes? and 7 nested stacks/ })).toBeVisible();
    for (const child of CHILDREN) await expect(services.getByText(new RegExp(`^Nested stack ${child.replace(/[()]/g, '\\$&')}: \\d+ changes?`))).toBeVisible();
    const satellite = preview.locator('[data-preview-stack="satellite-infra-base"]');
    await satellite.getByText(/^Parameters from other stacks' outputs/).click();
    await expect(satellite.getByRole('row', { name: /^LakerunnerPrincipal dcl-infra-base\.ProcessRoleArn not known yet$/ })).toBeVisible();

    // When it is approved, the graph, the progress bar and the timeline follow the nested stacks live
    const { graph, bar, timeline } = pictures(page);
    const total = Number(await bar.getAttribute('aria-valuemax'));
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await expect(graph.getByRole('link', { name: /^dcl-services: in progress, [\d.]+ s · 7 nested · (\d+ complete · )?\d+ running/ })).toBeVisible({ timeout: 240_000 });
    await expect(timeline.getByRole('button', { name: /^dcl-services, 7 nested stacks and \d+ resources?$/ })).toHaveAttribute('aria-expanded', 'true');
    await waitForRun(page, 'succeeded', 300_000);

    // Then the services root's node says its seven nested stacks are complete
    for (const id of STACKS.filter((s) => s !== 'services')) await expect(graph.getByRole('link', { name: new RegExp(`^dcl-${id}: complete, [\\d.]+ s$`) })).toBeVisible();
    await expect(graph.getByRole('link', { name: /^dcl-services: complete, [\d.]+ s · 7 nested · 7 complete$/ })).toBeVisible();
    await expect(page.getByTestId('run-counts')).toContainText('7/7 stacks');
    // and the bar counted, from the preview on, every resource of every stack and of the nested stacks, as CloudFormation lists them
    // (the certificate the console generated for the run creates the certificate child's IAM certificate)
    const cfn = sandbox.cloudFormation(REGION);
    const counted = (await Promise.all(STACKS.map((id) => allResources(cfn, `dcl-${id}`)))).flat();
    const nestedResources = (await allResources(cfn, 'dcl-services')).length;
    expect(nestedResources).toBeGreaterThan(40);
    expect(counted.filter((r) => r.ResourceType === 'AWS::CloudFormation::Stack')).toHaveLength(7);
    expect(counted.filter((r) => r.ResourceType === 'AWS::IAM::ServerCertificate')).toHaveLength(1);
    expect(counted.every((r) => r.ResourceStatus === 'CREATE_COMPLETE')).toBe(true);
    expect(total).toBe(counted.length);
    await expect(bar).toHaveAttribute('aria-valuenow', String(total));

    // and the timeline has a row per stack; the root's opens onto its nested stacks, each onto its resources
    for (const id of STACKS) await expect(timeline.getByRole('button', { name: new RegExp(`^dcl-${id}, `) })).toHaveAttribute('aria-expanded', 'false');
    await timeline.getByRole('button', { name: /^dcl-services, 7 nested stacks/ }).click();
    const root = page.getByRole('list', { name: 'Rows of dcl-services' });
    for (const child of CHILDREN) await expect(root.getByRole('button', { name: new RegExp(`^${child.replace(/[()]/g, '\\$&')}, \\d+ resources?$`) })).toBeVisible();
    await root.getByRole('button', { name: /^Query tier \(Query\), / }).click();
    const query = page.getByRole('list', { name: 'Rows of Query tier (Query)' });
    await expect(query.getByRole('img', { name: /\(AWS::ECS::Service\): CREATE_COMPLETE, [\d.]+ s$/ }).first()).toBeVisible();
    await expect(query.getByRole('img', { name: /\(AWS::ECS::TaskDefinition\): CREATE_COMPLETE/ }).first()).toBeVisible();
    // and the stack's section lists the nested stacks as CloudFormation reported them
    const nested = page.getByRole('list', { name: 'Nested stacks of dcl-services' });
    await page.locator('#run-stack-services').getByText(/^Nested stacks \(7\)$/).click();
    for (const child of CHILDREN) await expect(nested.getByRole('listitem', { name: `${child.split(' (')[0]}: CREATE_COMPLETE` })).toBeVisible();

    // Then the deployment's page shows its access points and the manual step with its exact values
    await page.getByRole('link', { name: 'deployment’s page' }).click();
    await expect(page).toHaveURL(deploymentUrl);
    const outputs = async (id: string) =>
      Object.fromEntries(((await cfn.send(new DescribeStacksCommand({ StackName: `dcl-${id}` }))).Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
    const [root$, satelliteOut, collector, infra] = await Promise.all([outputs('services'), outputs('satellite-infra-base'), outputs('satellite-services'), outputs('infra-base')]);
    const access = page.getByRole('region', { name: 'Access points' });
    await expect(access.getByRole('link', { name: root$.MaestroUrl! })).toBeVisible();
    await expect(access.getByText(root$.QueryApiUrl!, { exact: true })).toBeVisible();
    await expect(access.getByText(collector.CollectorEndpoint!, { exact: true })).toBeVisible();
    await expect(access.getByText(satelliteOut.RawBucketName!, { exact: true })).toBeVisible();
    await expect(access.getByText(infra.CookedBucketName!, { exact: true })).toBeVisible();
    const stackArn = (await cfn.send(new DescribeStacksCommand({ StackName: 'dcl-satellite-services' }))).Stacks![0]!.StackId!;
    const step = page.getByRole('region', { name: 'After the install' }).locator('[data-step="map-raw-bucket"]');
    await expect(step).toContainText('Map the raw bucket in Maestro');
    const collectorName = `a${/:stack\/[^/]+\/([0-9a-f]{8})-/.exec(stackArn)![1]}`;
    for (const value of [satelliteOut.RawBucketName!, satelliteOut.LakerunnerAccessRoleArn!, REGION, 'aws', collectorName]) await expect(step.getByText(value, { exact: true })).toBeVisible();
    const done = step.getByRole('checkbox', { name: 'Map the raw bucket in Maestro' });
    await expect(done).not.toBeChecked();
    await done.click();
    await expect(done).toBeChecked();
    await expect(step.getByRole('status')).toContainText('ticked by admin');
    await page.reload();
    await expect(page.locator('[data-step="map-raw-bucket"]').getByRole('checkbox', { name: 'Map the raw bucket in Maestro' })).toBeChecked();

    // When the images are updated within the line
    await confirmAccess(page);
    const operations = page.getByRole('region', { name: 'Operations' });
    const before = await parameterOf(cfn, 'dcl-services', 'LakerunnerImage');
    expect(before).toContain('lakerunner:v1.81.0@sha256:');
    await operations.getByRole('textbox', { name: 'LakerunnerImage' }).fill(NEW_LAKERUNNER);
    await operations.getByRole('button', { name: 'Preview image update' }).click();
    await expect(page).toHaveURL(/\/runs\/run-[0-9a-f]{12}$/);
    await waitForRun(page, 'awaiting-approval');

    // Then the preview names the nested stacks whose task definitions change, and no other stack changes
    const update = page.getByRole('region', { name: 'Changes to approve' });
    const root2 = update.locator('[data-preview-stack="services"]');
    await expect(update.getByRole('heading', { name: /dcl-services update, \d+ changes? and \d+ nested stacks?/ })).toBeVisible();
    for (const child of ['Query tier (Query)', 'Process tier (Process)', 'Control tier (Control)', 'Database migration (Migration)']) {
      const summary = root2.getByText(new RegExp(`^Nested stack ${child.replace(/[()]/g, '\\$&')}: \\d+ changes?`));
      await expect(summary).toBeVisible();
      await summary.click();
      await expect(root2.getByRole('table', { name: `Changes to dcl-services nested stack ${child}` }).getByRole('row', { name: /Modify \S+ AWS::ECS::TaskDefinition Replaced/ }).first()).toBeVisible();
    }
    // the certificate keeps its previous values: its nested stack is passed the same parameters and changes nothing
    await expect(root2.getByText(/^Nested stack Certificate \(Cert\): 0 changes$/)).toBeVisible();
    await expect(update.getByRole('row', { name: /AWS::RDS::DBInstance/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 240_000);

    // and the stack's parameter changed
    expect(await parameterOf(cfn, 'dcl-services', 'LakerunnerImage')).toBe(NEW_LAKERUNNER);
    const diff = page.getByRole('table', { name: 'Changed parameters' });
    await expect(diff.getByRole('row', { name: /LakerunnerImage .*lakerunner:v1\.81\.0@sha256:\S+ .*lakerunner:v1\.81\.1/ })).toBeVisible();

    // And neither the license nor the Dex password or its hash was in a URL or in the run's event stream
    const events = await stream;
    expect(events).toContain('"status":"succeeded"');
    expect(events).toContain('dcl-services');
    for (const secret of [SAMPLE_LICENSE, secrets.password, secrets.hash, plan.password, plan.hash]) {
      expect(events).not.toContain(secret);
      for (const url of urls) {
        expect(url).not.toContain(secret);
        expect(decodeURIComponent(url)).not.toContain(secret);
      }
    }
  } finally {
    await sandbox.setTimeScale(0.002);
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: PHONE });

  test('the run page and the deployment page of a current-line deployment fit a 390 px phone screen', async ({ page }) => {
    test.setTimeout(240_000);
    await currentDeploymentFromPlan(page, { name: 'Current phone journey', prefix: 'dcp', region: 'eu-central-1' });
    await expectFitsThePhone(page, 'the deployment page before its first run');
    await confirmAccess(page);
    await giveRunSecrets(page);
    await page.getByRole('button', { name: 'Preview deployment' }).click();
    await waitForRun(page, 'awaiting-approval');
    const preview = page.getByRole('region', { name: 'Changes to approve' }).locator('[data-preview-stack="services"]');
    await preview.getByText(/^Parameters from other stacks' outputs/).click();
    await preview.getByText(/^Nested stack Query tier \(Query\)/).click();
    await expectFitsThePhone(page, 'the preview of a current-line run, its wiring and a nested stack open');
    await page.getByRole('button', { name: 'Approve and run' }).click();
    await waitForRun(page, 'succeeded', 200_000);
    const { graph, timeline } = pictures(page);
    await expect(graph.getByRole('link', { name: /^dcp-services: complete, [\d.]+ s · 7 nested · 7 complete$/ })).toBeVisible();
    await timeline.getByRole('button', { name: /^dcp-services, 7 nested stacks/ }).click();
    await page.getByRole('list', { name: 'Rows of dcp-services' }).getByRole('button', { name: /^Maestro and Dex \(Maestro\), / }).click();
    await page.locator('#run-stack-services').getByText(/^Nested stacks \(7\)$/).click();
    await expect(page.getByRole('list', { name: 'Nested stacks of dcp-services' })).toBeVisible();
    await expectFitsThePhone(page, 'the run page of a current-line deployment, its nested stacks open');
    await page.getByRole('link', { name: 'deployment’s page' }).click();
    await expect(page.getByRole('region', { name: 'Access points' })).toBeVisible();
    await expect(page.locator('[data-step="map-raw-bucket"]')).toBeVisible();
    await expectFitsThePhone(page, 'the deployment page of a current-line deployment, with its access points and manual step');
  });
});
