// The engine on the sandbox with a current-line plan whose satellite is in a second account
// (222222222222): the preflight of both accounts (the role's trust, the Fargate quota of each), the
// satellite's stacks created in B through B's role, outputs read in A feeding B's parameters and
// back, and the teardown deleting each stack in its own account.
import { CloudFormationClient, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '@/lib/params/plan';
import { CURRENT_SECRETS, currentPlan } from '@/lib/plan/testing/line-current';
import { SECOND_ACCOUNT_CREDENTIALS, SECOND_ACCOUNT_ID } from '@/lib/sandbox/index';
import { createDeployment } from '@/lib/store/deployments';
import { runEventsSince } from '@/lib/store/run-events';
import { runStacks, type Run } from '@/lib/store/runs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { getConnection } from '@/lib/aws/connection';
import { getDeployment } from '@/lib/store/deployments';
import { parseManifest } from '@/lib/releases/check';
import { fixtureManifest } from '@/lib/releases/testing/fixture';
import { upgradeOperation } from '@/lib/releases/upgrade';
import { LINES } from '@/templates';
import { LINE_CURRENT } from '@/templates/current/line';
import { runAccess } from './accounts';
import { approveRun, prepareRun, RunRefusedError } from './engine';
import type { Operation } from './scope';
import { deploymentOverview } from './overview';
import { engineOnSandbox } from './testing/engine-on-sandbox';
import { untilRun } from './testing/until';

const A = '111111111111';
const B = SECOND_ACCOUNT_ID;
const ROLE_IN_B = `arn:aws:iam::${B}:role/LakerunnerSatelliteDeploy`;
const EXTERNAL_ID = 'satellite-deploy-4f1a9c';
const SATELLITE = ['satellite-infra-base', 'satellite-services', 'cwmetrics'];
const fixture = engineOnSandbox('accounts', { timeScale: 0.002, env: { CONSOLE_MAX_PARALLEL_STACKS: '4' } });

let inA: CloudFormationClient;
let inB: CloudFormationClient;
let network: { vpcId: string; subnetIds: string[] };
let clusterArn: string;

beforeAll(() => {
  const { endpoint, region, credentials, seed } = fixture.sandbox;
  inA = new CloudFormationClient({ endpoint, region, credentials });
  inB = new CloudFormationClient({ endpoint, region, credentials: SECOND_ACCOUNT_CREDENTIALS });
  // B's deploy role trusts account A (the console's identity) with an ExternalId
  seed.role({
    arn: ROLE_IN_B,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }] },
  });
  // and B brings its own network and cluster for the collector: A's VPC and cluster do not cross accounts
  network = seed.network({
    accountId: B,
    cidrBlock: '10.50.0.0/16',
    subnets: [
      { cidrBlock: '10.50.0.0/20', availabilityZone: 'us-east-1a' },
      { cidrBlock: '10.50.16.0/20', availabilityZone: 'us-east-1b' },
      { cidrBlock: '10.50.128.0/24', availabilityZone: 'us-east-1a', public: true },
      { cidrBlock: '10.50.129.0/24', availabilityZone: 'us-east-1b', public: true },
    ],
  });
  clusterArn = seed.cluster({ accountId: B, clusterName: 'satellite', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }).clusterArn;
});

afterEach(async () => {
  fixture.sandbox.quotas.reset();
  const secrets = new SecretsManagerClient({ endpoint: fixture.sandbox.endpoint, region: fixture.sandbox.region, credentials: fixture.sandbox.credentials });
  await secrets.send(new DeleteSecretCommand({ SecretId: 'cardinal-db-master', ForceDeleteWithoutRecovery: true })).catch(() => undefined);
});

/** A proof-of-concept plan with the satellite (and cwmetrics) in B, on B's network and cluster. */
function splitPlan(prefix: string, externalId = EXTERNAL_ID): Plan {
  const plan = currentPlan(prefix);
  plan.accounts = { satellite: { accountId: B, region: 'us-east-1', roleArn: ROLE_IN_B, externalId } };
  const [privateA, privateB, publicA, publicB] = network.subnetIds;
  Object.assign(plan.params['satellite-services']!, {
    VpcId: network.vpcId,
    AlbSubnetsCsv: `${privateA},${privateB}`,
    TaskSubnetsCsv: `${privateA},${privateB}`,
    EcsClusterArn: clusterArn,
  });
  void publicA;
  void publicB;
  return plan;
}

async function run(deploymentId: string, operation: Operation): Promise<{ run: Run; previewed: Awaited<ReturnType<typeof runStacks>> }> {
  const started = await prepareRun({ deploymentId, user: 'alice', operation, confirmedAccount: A, secrets: operation.kind === 'deploy' ? CURRENT_SECRETS : undefined });
  const ready = await untilRun(started.id, ['awaiting-approval', 'failed']);
  expect(ready.error).toBeUndefined();
  const previewed = await runStacks(started.id);
  await approveRun(started.id, 'alice');
  return { run: await untilRun(started.id, ['succeeded', 'failed'], 240_000), previewed };
}

const stackIn = async (client: CloudFormationClient, name: string) => (await client.send(new DescribeStacksCommand({ StackName: name })).catch(() => undefined))?.Stacks?.[0];

/** The parameters a stack runs with now, as CloudFormation reports them in its account. */
const parametersOf = async (client: CloudFormationClient, name: string) =>
  Object.fromEntries(((await stackIn(client, name))?.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue!]));

/** The test fixture's v1.7.6 manifest, as `npm run releases` would import it. */
function fixtureRelease() {
  const parsed = parseManifest(fixtureManifest(), LINES);
  if (!parsed.ok) throw new Error('the fixture manifest does not parse');
  return parsed.manifest;
}

describe('the credentials of each stack', () => {
  it('are the deployment’s for its own stacks and B’s role (with its ExternalId) for the satellite’s', async () => {
    const plan = splitPlan('xc');
    const access = runAccess(await getConnection(), { plan, region: 'us-east-1' }, undefined, 'alice');
    expect(access.all.map((p) => [p.id, p.stacks])).toEqual([
      ['home', ['vpc', 'cluster', 'infra-base', 'infra-rds', 'services']],
      ['satellite', SATELLITE],
    ]);
    expect(access.of('services')).toBe(access.home);
    const satellite = access.of('satellite-services');
    expect(access.of('cwmetrics')).toBe(satellite);
    expect(satellite.role).toEqual({ arn: ROLE_IN_B, externalId: EXTERNAL_ID, sessionName: 'lakerunner-console-alice' });
    // each context acts in its own account
    expect((await access.home.context.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(A);
    expect(await satellite.context.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: B, Arn: `arn:aws:sts::${B}:assumed-role/LakerunnerSatelliteDeploy/lakerunner-console-alice` });
    // a plan in one account has one context, the deployment's
    const single = runAccess(await getConnection(), { plan: currentPlan('xd'), region: 'us-east-1' }, undefined, 'alice');
    expect(single.all).toEqual([single.home]);
    expect(single.of('satellite-services')).toBe(single.home);
  });
});

describe('a current-line deployment with the satellite in a second account', () => {
  it('deploys the satellite in B through its role, wires A and B both ways, upgrades both accounts to a newer release, then tears down each stack in its own account', async () => {
    // given a plan with the satellite in B
    const plan = splitPlan('xa');
    const { id } = await createDeployment({ name: plan.name, plan, createdBy: 'alice' });

    // when it is deployed
    const { run: done, previewed } = await run(id, { kind: 'deploy' });
    expect(done.error).toBeUndefined();
    expect(done.status).toBe('succeeded');
    // the preview showed B's access role waiting for A's process role, the input that crosses accounts
    expect(previewed.find((s) => s.stackId === 'satellite-infra-base')).toMatchObject({
      status: 'previewed',
      action: 'create',
      inputs: [{ parameter: 'LakerunnerPrincipal', stackId: 'infra-base', stackName: 'xa-infra-base', output: 'ProcessRoleArn' }],
    });
    // and the collector's network no longer wired from A's VPC stack
    expect(previewed.find((s) => s.stackId === 'satellite-services')?.inputs?.map((i) => i.parameter)).toEqual(['RawBucketName']);

    // then the satellite's stacks are in B and nowhere in A; the others in A only
    const stacks = Object.fromEntries((await runStacks(done.id)).map((s) => [s.stackId, s]));
    for (const [stackId, stack] of Object.entries(stacks)) {
      expect(stack.status, stackId).toBe('complete');
      const [here, there] = SATELLITE.includes(stackId) ? [inB, inA] : [inA, inB];
      expect((await stackIn(here, stack.stackName))?.StackStatus, stackId).toBe('CREATE_COMPLETE');
      expect(await stackIn(there, stack.stackName), stackId).toBeUndefined();
      expect(stack.arn, stackId).toContain(`:${SATELLITE.includes(stackId) ? B : A}:stack/`);
    }

    // A's process role became the trusted principal of B's access role (with the plan's ExternalId kept out of it)
    const processRole = stacks['infra-base']!.outputs!.ProcessRoleArn!;
    expect(processRole).toContain(`:iam::${A}:role/`);
    expect(done.parameters?.['satellite-infra-base']?.LakerunnerPrincipal).toBe(processRole);
    // B's queue and access role fed A's services, and B's own network and cluster fed the collector
    expect(done.parameters?.services?.QueueUrl).toBe(stacks['satellite-infra-base']!.outputs!.RawQueueUrl);
    expect(done.parameters?.services?.QueueUrl).toContain(B);
    expect(done.parameters?.services?.QueueRoleArn).toMatch(new RegExp(`^arn:aws:iam::${B}:role/`));
    expect(done.parameters?.services?.SelfTelemetryEndpoint).toBe(stacks['satellite-services']!.outputs!.CollectorEndpoint);
    expect(done.parameters?.['satellite-services']).toMatchObject({ VpcId: network.vpcId, EcsClusterArn: clusterArn });
    // and the run said who it acted as in each account, never the ExternalId
    const events = JSON.stringify(await runEventsSince(done.id, 0, 100_000));
    expect(events).toContain(`in account ${B}, us-east-1, for xa-satellite-infra-base, xa-satellite-services, xa-cwmetrics`);
    expect(events).toContain(`assumed-role/LakerunnerSatelliteDeploy/`);
    expect(events).not.toContain(EXTERNAL_ID);

    // the deployment's page reads each stack in its own account: the Maestro step names B's bucket and role
    const overview = await deploymentOverview((await getDeployment(id))!, 'alice');
    expect(overview.problem).toBeUndefined();
    expect(overview.stacks.filter((s) => s.account === B).map((s) => s.id)).toEqual(SATELLITE);
    expect(overview.stacks.every((s) => s.status === 'CREATE_COMPLETE')).toBe(true);
    const step = overview.manualSteps.find((s) => s.id === 'map-raw-bucket');
    expect(step?.title).toBe(`Map account ${B}’s raw bucket in Maestro`);
    expect(step?.values).toEqual(
      expect.arrayContaining([
        { label: 'Account', value: B },
        { label: 'Bucket', value: stacks['satellite-infra-base']!.outputs!.RawBucketName },
        { label: 'Role', value: stacks['satellite-infra-base']!.outputs!.LakerunnerAccessRoleArn },
      ]),
    );
    expect(stacks['satellite-infra-base']!.outputs!.LakerunnerAccessRoleArn).toMatch(new RegExp(`^arn:aws:iam::${B}:role/cardinal-satellite-access`));

    // when it is upgraded to a newer release (the test fixture's v1.7.6: new images in both accounts, a template change in A)
    const release = fixtureRelease();
    const before = { services: await parametersOf(inA, stacks.services!.stackName), collector: await parametersOf(inB, stacks['satellite-services']!.stackName) };
    const { run: upgrade, previewed: upgrading } = await run(id, upgradeOperation(LINE_CURRENT, release));
    expect(upgrade.error).toBeUndefined();
    expect(upgrade.status).toBe('succeeded');
    // the preview updated only the stacks whose values the manifest changes, one in each account
    expect(upgrading.filter((s) => s.action === 'update').map((s) => s.stackId).sort()).toEqual(['satellite-services', 'services']);
    // then A's services root runs the manifest's images and template change, in A, as the same stack
    const lakerunner = release.images.lakerunner!;
    const otel = release.images.otel!;
    const servicesNow = await parametersOf(inA, stacks.services!.stackName);
    expect(before.services.LakerunnerImage).not.toContain(lakerunner.digest);
    expect(servicesNow.LakerunnerImage).toBe(`${lakerunner.registry}/${lakerunner.repository}:${lakerunner.tag}@${lakerunner.digest}`);
    expect(servicesNow.MaestroImage).toContain(release.images.maestro!.digest);
    expect(before.services.ProcessTracesMemory).toBe('2048');
    expect(servicesNow.ProcessTracesMemory).toBe('4096');
    expect((await stackIn(inA, stacks.services!.stackName))?.StackId).toBe(stacks.services!.arn);
    // and B's collector runs the manifest's collector image, in B, through B's role
    const collectorNow = await parametersOf(inB, stacks['satellite-services']!.stackName);
    expect(before.collector.OtelImage).not.toContain(otel.digest);
    expect(collectorNow.OtelImage).toBe(`${otel.registry}/${otel.repository}:${otel.tag}@${otel.digest}`);
    expect((await stackIn(inB, stacks['satellite-services']!.stackName))?.StackId).toBe(stacks['satellite-services']!.arn);
    expect(await stackIn(inA, stacks['satellite-services']!.stackName)).toBeUndefined();
    // what it does not change stays as deployed in both accounts
    expect(collectorNow.VpcId).toBe(network.vpcId);
    expect(servicesNow.QueueUrl).toBe(before.services.QueueUrl);
    const upgradeEvents = JSON.stringify(await runEventsSince(upgrade.id, 0, 100_000));
    expect(upgradeEvents).toContain(`in account ${B}, us-east-1, for xa-satellite-services`);
    expect(upgradeEvents).not.toContain(EXTERNAL_ID);
    expect((await getDeployment(id))!.plan.releaseVersion).toBe('v1.7.6');

    // when it is torn down
    const { run: teardown, previewed: removals } = await run(id, { kind: 'teardown' });
    expect(removals.filter((s) => s.action === 'delete').map((s) => s.stackId).sort()).toEqual(Object.keys(stacks).sort());
    expect(teardown.status).toBe('succeeded');
    // account by account: every stack of B was deleted before any stack of A started
    const rows = await runStacks(teardown.id);
    const lastInB = Math.max(...rows.filter((r) => SATELLITE.includes(r.stackId)).map((r) => Date.parse(r.finishedAt!)));
    const firstInA = Math.min(...rows.filter((r) => !SATELLITE.includes(r.stackId)).map((r) => Date.parse(r.startedAt!)));
    expect(lastInB).toBeLessThanOrEqual(firstInA);
    // every stack is gone from its own account, and none is left in either
    for (const stack of Object.values(stacks)) {
      const status = (await (SATELLITE.includes(stack.stackId) ? inB : inA).send(new DescribeStacksCommand({ StackName: stack.arn }))).Stacks?.[0]?.StackStatus;
      expect(status, stack.stackId).toBe('DELETE_COMPLETE');
    }
    for (const client of [inA, inB]) {
      const left = (await client.send(new ListStacksCommand({}))).StackSummaries?.filter((s) => s.StackName?.startsWith('xa-') && s.StackStatus !== 'DELETE_COMPLETE');
      expect(left, client === inA ? A : B).toEqual([]);
    }
  }, 240_000);

  it('refuses before anything is created when B’s role does not trust the console with this ExternalId, naming the account and what to do', async () => {
    const plan = splitPlan('xw', 'not-the-external-id');
    const { id } = await createDeployment({ name: plan.name, plan, createdBy: 'alice' });
    const refusal = prepareRun({ deploymentId: id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: A, secrets: CURRENT_SECRETS });
    await expect(refusal).rejects.toBeInstanceOf(RunRefusedError);
    await expect(refusal).rejects.toThrow(new RegExp(`^Account ${B} \\(us-east-1\\): AWS refused to let the console assume ${ROLE_IN_B}.*In account ${B}, let the console's identity assume ${ROLE_IN_B}`));
    await expect(refusal).rejects.not.toThrow(/not-the-external-id/);
    expect(await stackIn(inA, 'xw-infra-base')).toBeUndefined();
  });

  it("checks each account's own Fargate quota against the stacks it holds", async () => {
    // given B's quota too small for the collector alone, A's plenty
    fixture.sandbox.quotas.set({ serviceCode: 'fargate', quotaCode: 'L-3032A538', value: 0.1, accountId: B });
    const plan = splitPlan('xq');
    const { id } = await createDeployment({ name: plan.name, plan, createdBy: 'alice' });
    await expect(prepareRun({ deploymentId: id, user: 'alice', operation: { kind: 'deploy' }, confirmedAccount: A, secrets: CURRENT_SECRETS })).rejects.toThrow(
      new RegExp(`^The plan's stacks in account ${B} run [\\d.]+ vCPUs? of Fargate .*the account's quota in us-east-1 is 0\\.1 vCPU`),
    );
    expect(await stackIn(inB, 'xq-satellite-infra-base')).toBeUndefined();
  });
});
