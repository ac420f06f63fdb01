// deploy.sh of a plan whose satellite is in a second account (222222222222), run with the AWS CLI
// against a sandbox started here: each stack created with its account's profile (one that assumes
// the satellite's deploy role with its ExternalId, as the README shows), outputs read in the
// account that has them and wired across, and a clear refusal before anything is created when an
// account's credentials are another account's.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, ListStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Plan } from '@/lib/params/plan';
import { bash, requireAwsCli, sandboxCliEnv, unzipBundle } from '@/lib/plan/testing/deploy-script-cli';
import { DEX_ADMIN_PASSWORD_HASH, currentPlan } from '@/lib/plan/testing/line-current';
import { SECOND_ACCOUNT_CREDENTIALS, SECOND_ACCOUNT_ID, startSandbox, type Sandbox } from '@/lib/sandbox/index';
import { CURRENT_STACKS } from '@/templates/current';
import { buildBundle } from './bundle';

vi.mock('@/templates', async () => {
  const { registryOf } = await import('@/templates/testing/registry');
  const { LINE_2025 } = await import('@/templates/line-2025');
  const { CURRENT_TEST_LINE } = await import('@/templates/current/testing/line');
  return registryOf([LINE_2025, CURRENT_TEST_LINE]);
});

const A = '111111111111';
const B = SECOND_ACCOUNT_ID;
const ROLE_IN_B = `arn:aws:iam::${B}:role/LakerunnerSatelliteDeploy`;
const EXTERNAL_ID = 'satellite-deploy-sh-7c2e';
const SATELLITE = ['satellite-infra-base', 'satellite-services', 'cwmetrics'];

let sandbox: Sandbox;
let dir: string;
let network: { vpcId: string; subnetIds: string[] };
let clusterArn: string;
let inA: CloudFormationClient;
let inB: CloudFormationClient;

beforeAll(async () => {
  requireAwsCli();
  sandbox = await startSandbox({ timeScale: 0 });
  dir = mkdtempSync(join(tmpdir(), 'deploy-sh-accounts-'));
  inA = new CloudFormationClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: sandbox.credentials });
  inB = new CloudFormationClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: SECOND_ACCOUNT_CREDENTIALS });
  // B's deploy role trusts account A with an ExternalId, and B has its own network and cluster for the collector
  sandbox.seed.role({
    arn: ROLE_IN_B,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }] },
  });
  network = sandbox.seed.network({
    accountId: B,
    cidrBlock: '10.60.0.0/16',
    subnets: [
      { cidrBlock: '10.60.0.0/20', availabilityZone: 'us-east-1a' },
      { cidrBlock: '10.60.16.0/20', availabilityZone: 'us-east-1b' },
    ],
  });
  clusterArn = sandbox.seed.cluster({ accountId: B, clusterName: 'satellite', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }).clusterArn;
  // the AWS CLI's profiles: one that assumes B's role from A's credentials (as the bundle's README shows), one that is A's
  mkdirSync(join(dir, '.aws'));
  writeFileSync(
    join(dir, '.aws', 'config'),
    [
      '[profile satellite]',
      `role_arn = ${ROLE_IN_B}`,
      `external_id = ${EXTERNAL_ID}`,
      'credential_source = Environment',
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, '.aws', 'credentials'), ['[also-a]', `aws_access_key_id = ${sandbox.credentials.accessKeyId}`, `aws_secret_access_key = ${sandbox.credentials.secretAccessKey}`, ''].join('\n'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A proof-of-concept plan with the satellite (and cwmetrics) in B, on B's network and cluster, its secrets in the bundle. */
function splitPlan(prefix: string): Plan {
  const plan = currentPlan(prefix);
  plan.accounts = { satellite: { accountId: B, region: 'us-east-1', roleArn: ROLE_IN_B, externalId: EXTERNAL_ID } };
  const [a, b] = network.subnetIds;
  Object.assign(plan.params['satellite-services']!, { VpcId: network.vpcId, AlbSubnetsCsv: `${a},${b}`, TaskSubnetsCsv: `${a},${b}`, EcsClusterArn: clusterArn });
  plan.params['infra-base']!.LicenseData = 'z64:sandbox-license-for-deploy-sh';
  plan.params.services!.DexAdminPasswordHash = DEX_ADMIN_PASSWORD_HASH;
  return plan;
}

const stackIn = async (client: CloudFormationClient, name: string): Promise<Stack | undefined> =>
  (await client.send(new DescribeStacksCommand({ StackName: name })).catch(() => undefined))?.Stacks?.[0];
const live = async (client: CloudFormationClient, prefix: string) =>
  ((await client.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackName?.startsWith(`${prefix}-`) && s.StackStatus !== 'DELETE_COMPLETE');

/** Every file of an unzipped bundle, as text. */
const bundleText = (root: string): string =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');

describe('deploy.sh of a plan with the satellite in a second account, run with the AWS CLI', () => {
  it('says in --help and the README how to give each account its profile, and never carries the ExternalId', async () => {
    unzipBundle(buildBundle(splitPlan('hp'), 'yaml', '2026-12-01T00:00:00.000Z').bytes, dir);
    const help = await bash(join(dir, 'hp', 'deploy.sh'), sandboxCliEnv(sandbox, dir), dir, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`  ${B} (us-east-1): hp-satellite-infra-base, hp-satellite-services, hp-cwmetrics\n`);
    expect(help.stdout).toContain("  home (the deployment's account, us-east-1): hp-vpc, hp-cluster, hp-infra-base, hp-infra-rds, hp-services\n");
    expect(help.stdout).toContain('--profile ACCOUNT=PROFILE');
    expect(help.stdout).toContain(`LAKERUNNER_PROFILE_${B}`);
    const readme = readFileSync(join(dir, 'hp', 'README.md'), 'utf8');
    expect(readme).toContain(`- account ${B} (us-east-1): hp-satellite-infra-base, hp-satellite-services, hp-cwmetrics`);
    expect(readme).toContain(`\`./deploy.sh --profile ${B}=NAME\``);
    expect(readme).toContain(`    [profile lakerunner-${B}]\n    role_arn = ${ROLE_IN_B}\n`);
    expect(bundleText(join(dir, 'hp'))).not.toContain(EXTERNAL_ID);
    // an account the plan does not use is refused as an option
    const wrong = await bash(join(dir, 'hp', 'deploy.sh'), sandboxCliEnv(sandbox, dir), dir, ['--profile', '333333333333=x']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain(`--profile 333333333333=x: give ACCOUNT=PROFILE with ACCOUNT one of home, ${B}.`);
  });

  it("refuses before creating anything when the satellite's account has no profile, or one that is another account's", async () => {
    unzipBundle(buildBundle(splitPlan('nf'), 'yaml', '2026-12-01T00:00:00.000Z').bytes, dir);
    const script = join(dir, 'nf', 'deploy.sh');
    // no profile for B: the script runs as A
    const none = await bash(script, sandboxCliEnv(sandbox, dir), dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain(
      `The plan puts nf-satellite-infra-base, nf-satellite-services, nf-cwmetrics in account ${B}, and no AWS CLI profile is given for that account: the credentials this script runs with are account ${A}'s. Give a profile for account ${B} (./deploy.sh --profile ${B}=NAME, or LAKERUNNER_PROFILE_${B}=NAME; for example one that assumes ${ROLE_IN_B}, see README.md). Nothing was created.`,
    );
    // a profile for B that is A's
    const wrong = await bash(script, { ...sandboxCliEnv(sandbox, dir), [`LAKERUNNER_PROFILE_${B}`]: 'also-a' }, dir);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(`The AWS CLI profile also-a given for account ${B} is account ${A}'s: give a profile for account ${B}. Nothing was created.`);
    // the script's own credentials B's, with B's profile too: the deployment's stacks would land in B
    const asB = await bash(script, { ...sandboxCliEnv(sandbox, dir), AWS_ACCESS_KEY_ID: SECOND_ACCOUNT_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SECOND_ACCOUNT_CREDENTIALS.secretAccessKey }, dir);
    expect(asB.status).toBe(1);
    expect(asB.stderr).toContain(`The credentials for the deployment's own stacks (nf-vpc, nf-cluster, nf-infra-base, nf-infra-rds, nf-services) are account ${B}'s, where the plan puts only`);
    for (const run of [none, wrong, asB]) expect(run.stdout).not.toContain('== creating');
    expect(await live(inA, 'nf')).toEqual([]);
    expect(await live(inB, 'nf')).toEqual([]);
  });

  it("creates each stack in its own account with that account's profile, wiring outputs across the accounts", async () => {
    // given the bundle, and B's profile named by the option
    unzipBundle(buildBundle(splitPlan('xs'), 'yaml', '2026-12-01T00:00:00.000Z').bytes, dir);
    const script = join(dir, 'xs', 'deploy.sh');
    const env = sandboxCliEnv(sandbox, dir);

    // when deploy.sh runs
    const run = await bash(script, env, dir, ['--profile', `${B}=satellite`]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`== accounts: the deployment's is ${A}; ${B} for xs-satellite-infra-base, xs-satellite-services, xs-cwmetrics`);

    // then every stack completed, in plan order, each in its own account and not in the other
    expect(run.stdout.split('\n').filter((l) => l.endsWith(': CREATE_COMPLETE'))).toEqual(CURRENT_STACKS.map((s) => `== xs-${s.id}: CREATE_COMPLETE`));
    const stacks: Record<string, Stack> = {};
    for (const { id } of CURRENT_STACKS) {
      const [here, there] = SATELLITE.includes(id) ? [inB, inA] : [inA, inB];
      stacks[id] = (await stackIn(here, `xs-${id}`))!;
      expect(stacks[id]?.StackStatus, id).toBe('CREATE_COMPLETE');
      expect(stacks[id]?.StackId, id).toContain(`:${SATELLITE.includes(id) ? B : A}:stack/`);
      expect(await stackIn(there, `xs-${id}`), id).toBeUndefined();
    }

    // and each parameter fed by an output holds that output's value, read in the producer's account
    const param = (id: string, key: string) => stacks[id]!.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
    const output = (id: string, key: string) => stacks[id]!.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    expect(param('satellite-infra-base', 'LakerunnerPrincipal')).toBe(output('infra-base', 'ProcessRoleArn'));
    expect(param('satellite-infra-base', 'LakerunnerPrincipal')).toMatch(new RegExp(`^arn:aws:iam::${A}:role/`));
    expect(param('services', 'QueueUrl')).toBe(output('satellite-infra-base', 'RawQueueUrl'));
    expect(param('services', 'QueueUrl')).toContain(B);
    expect(param('services', 'QueueRoleArn')).toMatch(new RegExp(`^arn:aws:iam::${B}:role/`));
    expect(param('services', 'SelfTelemetryEndpoint')).toBe(output('satellite-services', 'CollectorEndpoint'));
    expect(param('satellite-services', 'RawBucketName')).toBe(output('satellite-infra-base', 'RawBucketName'));
    expect(param('satellite-services', 'VpcId')).toBe(network.vpcId);
    // the nested templates went to the deployment's account's bucket
    expect(param('services', 'TemplateBaseUrl')).toMatch(/^https:\/\/lakerunner-templates-111111111111-us-east-1\./);

    // run again with the profile given by its variable: everything exists and is skipped, in its own account
    const again = await bash(script, { ...env, [`LAKERUNNER_PROFILE_${B}`]: 'satellite' }, dir);
    expect(again.status).toBe(0);
    expect(again.stdout.split('\n').filter((l) => l.includes('already exists'))).toHaveLength(CURRENT_STACKS.length);
  }, 600_000);
});
