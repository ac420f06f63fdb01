import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { type Plan } from '@/lib/params/plan';
import { usd } from '@/lib/cost/format';
import { buildBundle, buildQuickCreateFiles } from './bundle';
import { estimatePlan } from './estimate';
import { deployScript } from './deploy-script';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';

function fullPlan(): Plan {
  const plan = defaultPlan2025();
  plan.name = 'Prod EU';
  plan.region = 'eu-west-1';
  plan.include = { grafana: true, otel: true, demo: true };
  plan.params.common.ApiKeysOverride = '- organization_id: 12340000-0000-4000-8000-000000000000\n  keys: [secret-key-1]\n';
  return plan;
}

const extracted: string[] = [];
afterAll(() => extracted.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function extract(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  extracted.push(dir);
  for (const [path, data] of Object.entries(unzipSync(bytes))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return dir;
}

/** A stand-in `aws` that logs each call and answers like an empty account that creates stacks. */
const FAKE_AWS = String.raw`#!/usr/bin/env bash
echo "$*" >> "$AWS_LOG"
case "$1 $2" in
  "cloudformation describe-stacks")
    if [[ "$*" == *StackStatus* ]]; then
      if [[ -n "$EXISTING" && "$*" == *"--stack-name $EXISTING "* ]]; then echo CREATE_COMPLETE; exit 0; fi
      exit 254
    fi
    if [[ "$*" =~ ParameterKey==\'([A-Za-z]+)\' ]]; then
      deployed="DEPLOYED_$\{BASH_REMATCH[1]}"
      case "$\{BASH_REMATCH[1]}" in AlbScheme|LoadBalancerType) echo "$\{!deployed:-internal}" ;; *) echo "$\{!deployed:-}" ;; esac
      exit 0
    fi
    if [[ "$*" == *"Outputs[].[OutputKey,OutputValue]"* ]]; then
      printf 'VpcId\tvpc-0123456789abcdef0\nPrivateSubnets\tsubnet-0aaa1111,subnet-0bbb2222\nPublicSubnets\tsubnet-0ccc3333,subnet-0ddd4444\n'
    fi ;;
  "cloudformation create-stack")
    for arg in "$@"; do case "$arg" in file://parameters*|file:///*) cp "$\{arg#file://}" "$AWS_LOG.params.$(( $(wc -l < "$AWS_LOG") ))" ;; esac; done ;;
esac
exit 0
`.replaceAll('$\\{', '${');

describe('the download bundle', () => {
  const plan = fullPlan();
  const bundle = buildBundle(plan, 'yaml', '2026-11-27T00:00:00.000Z');
  const files = unzipSync(bundle.bytes);
  const text = (path: string) => strFromU8(files[`prod-eu/${path}`] ?? new Uint8Array());

  it('holds every included template, a parameters file per stack, deploy.sh, a README and COSTS.md', () => {
    expect(bundle.fileName).toBe('prod-eu-yaml.zip');
    const stems = METAS_2025.map((m) => m.stem);
    expect(Object.keys(files).sort()).toEqual(
      ['prod-eu/README.md', 'prod-eu/COSTS.md', 'prod-eu/deploy.sh', ...stems.map((s) => `prod-eu/templates/${s}.yaml`), ...stems.map((s) => `prod-eu/parameters/${s}.json`)].sort(),
    );
    expect(text('templates/lakerunner-common.yaml')).toContain('AWSTemplateFormatVersion: "2010-09-09"');
  });

  it('writes parameters files in the AWS CLI format, with VPC outputs as placeholders', () => {
    const common = JSON.parse(text('parameters/lakerunner-common.json')) as { ParameterKey: string; ParameterValue: string }[];
    expect(common).toContainEqual({ ParameterKey: 'VpcId', ParameterValue: '@VpcId@' });
    expect(common).toContainEqual({ ParameterKey: 'PrivateSubnets', ParameterValue: '@PrivateSubnets@' });
    const services = JSON.parse(text('parameters/lakerunner-services.json')) as { ParameterKey: string; ParameterValue: string }[];
    expect(services).toContainEqual({ ParameterKey: 'CommonInfraStackName', ParameterValue: 'lakerunner-common' });
    expect(text('README.md')).toContain('secret (NoEcho) values: lakerunner-common: ApiKeysOverride');
  });

  it('estimates the monthly cost in COSTS.md with the figures of the plan page, line by line', () => {
    const e = estimatePlan(plan);
    const costs = text('COSTS.md');
    expect(costs).toContain(`**${usd(e.monthly)} a month**: ${usd(e.fixed)} fixed`);
    expect(costs).toContain('Region eu-west-1 (Europe (Ireland)); 10 GB of telemetry a day; storage projected to month 12.');
    for (const stack of e.stacks) expect(costs).toContain(`| ${stack.name} (${stack.title}) | ${usd(stack.monthly)} |`);
    expect(costs).toContain('| QueryWorkerService | AWS::ECS::Service | ARM64 vCPU: 8 tasks × 730 h × 2 vCPU | 11,680 vCPU-hour | $0.03238 * | $378.20 |');
    expect(costs).toContain('S3GatewayEndpoint (Gateway endpoints (S3, DynamoDB) have no charge.)');
    expect(costs).toContain('Unit prices marked * are approximate');
    expect(costs).not.toContain('secret-key-1');
  });

  it('follows the dependency graph and says which stacks could run side by side', () => {
    const script = text('deploy.sh');
    expect(script).toContain('# lakerunner-vpc: first\n');
    expect(script).toContain('# lakerunner-migration: after lakerunner-common; could run side by side with lakerunner-otel-collector\n');
    expect(script).toContain(
      '# lakerunner-otel-collector: after lakerunner-common; could run side by side with lakerunner-migration, lakerunner-services, lakerunner-grafana-service\n',
    );
    expect(script).toContain('# lakerunner-demo-apps: after lakerunner-services, lakerunner-otel-collector; could run side by side with lakerunner-grafana-service\n');
    // each stack's comment comes before its create, and after the creates of everything it waits for
    const position = (name: string) => script.search(new RegExp(`^create_stack '?${name}'? `, 'm'));
    expect(position('lakerunner-migration')).toBeGreaterThan(0);
    expect(position('lakerunner-services')).toBeGreaterThan(position('lakerunner-migration'));
    expect(position('lakerunner-demo-apps')).toBeGreaterThan(position('lakerunner-otel-collector'));
    expect(text('README.md')).toContain('- lakerunner-migration and lakerunner-otel-collector\n- lakerunner-grafana-service and lakerunner-demo-apps\n');
  });

  it('never puts a NoEcho value into a template default', () => {
    expect(text('templates/lakerunner-common.yaml')).not.toContain('secret-key-1');
  });

  it('has a deploy.sh that bash accepts and that creates the stacks in order, filling VPC outputs', () => {
    const dir = extract(bundle.bytes);
    const script = join(dir, 'prod-eu', 'deploy.sh');
    execFileSync('bash', ['-n', script]);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'aws'), FAKE_AWS);
    chmodSync(join(bin, 'aws'), 0o755);
    const log = join(dir, 'aws.log');
    const run = spawnSync('bash', [script], { env: { NODE_ENV: 'test', PATH: `${bin}:/usr/bin:/bin`, AWS_LOG: log, LAKERUNNER_TEMPLATE_BUCKET: 'staging-bucket' }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const creates = calls.filter((c) => c.startsWith('cloudformation create-stack'));
    expect(creates.map((c) => /--stack-name (\S+)/.exec(c)?.[1])).toEqual(METAS_2025.map((m) => m.stem));
    for (const create of creates) expect(create).toContain('--region eu-west-1');
    const waits = calls.filter((c) => c.startsWith('cloudformation wait stack-create-complete'));
    expect(waits).toHaveLength(METAS_2025.length);
    // every create is followed by its wait before the next create
    const order = calls.filter((c) => / (create-stack|stack-create-complete) /.test(c)).map((c) => /--stack-name (\S+)/.exec(c)?.[1]);
    expect(order).toEqual(METAS_2025.flatMap((m) => [m.stem, m.stem]));
    // templates over 51,200 bytes go through S3; the others inline
    for (const create of creates) {
      const stem = /--stack-name (\S+)/.exec(create)?.[1] ?? '';
      if (Buffer.byteLength(text(`templates/${stem}.yaml`)) > 51_200) {
        expect(calls).toContain(`s3 cp templates/${stem}.yaml s3://staging-bucket/lakerunner/prod-eu/${stem}.yaml --region eu-west-1`);
        expect(create).toContain(`--template-url https://staging-bucket.s3.eu-west-1.amazonaws.com/lakerunner/prod-eu/${stem}.yaml`);
      } else expect(create).toContain(`--template-body file://templates/${stem}.yaml`);
    }
    expect(creates[2]).toMatch(/--stack-name lakerunner-migration .*--capabilities CAPABILITY_IAM$/);
    for (const create of creates) expect(create).not.toContain('CAPABILITY_NAMED_IAM');
    const commonCreate = creates[1] ?? '';
    const commonIndex = calls.indexOf(commonCreate) + 1;
    const commonParams = JSON.parse(readFileSync(`${log}.params.${commonIndex}`, 'utf8')) as { ParameterKey: string; ParameterValue: string }[];
    expect(commonParams).toContainEqual({ ParameterKey: 'VpcId', ParameterValue: 'vpc-0123456789abcdef0' });
    expect(commonParams).toContainEqual({ ParameterKey: 'PrivateSubnets', ParameterValue: 'subnet-0aaa1111,subnet-0bbb2222' });
  });

  it("warns, and does not apply, a planned change to an existing stack that CloudFormation would refuse half-way", () => {
    const dir = extract(bundle.bytes);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'aws'), FAKE_AWS);
    chmodSync(join(bin, 'aws'), 0o755);
    const log = join(dir, 'aws.log');
    const env = { NODE_ENV: 'test' as const, PATH: `${bin}:/usr/bin:/bin`, AWS_LOG: log, LAKERUNNER_TEMPLATE_BUCKET: 'staging-bucket', EXISTING: 'lakerunner-common' };
    // the deployed common stack has an internet-facing load balancer; the plan says internal
    const run = spawnSync('bash', [join(dir, 'prod-eu', 'deploy.sh')], { env: { ...env, DEPLOYED_AlbScheme: 'internet-facing' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('== lakerunner-common already exists (CREATE_COMPLETE), skipping');
    expect(run.stderr).toContain('WARNING: lakerunner-common has AlbScheme=internet-facing, and this plan says internal. This script does not update existing stacks.');
    expect(run.stderr).toContain('Changing AlbScheme of lakerunner-common replaces LoadBalancer, QueryApiListener, GrafanaListener and HttpRedirectListener and changes its exports');
    expect(run.stderr).toContain('which lakerunner-services and lakerunner-grafana-service import: CloudFormation refuses that update half-way');
    expect(run.stderr).toContain('Delete lakerunner-demo-apps, lakerunner-grafana-service and lakerunner-services first (in that order), update the stack, then create them again.');
    expect(readFileSync(log, 'utf8')).not.toContain('update-stack');
    // nothing to say when the deployed value is the planned one
    expect(spawnSync('bash', [join(dir, 'prod-eu', 'deploy.sh')], { env, encoding: 'utf8' }).stderr).toBe('');
  });

  it('marks deploy.sh executable', () => {
    // unzipSync drops attributes, so read the central directory's external attributes directly
    const raw = Buffer.from(bundle.bytes);
    const name = Buffer.from('prod-eu/deploy.sh');
    let offset = raw.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    while (offset >= 0 && !raw.subarray(offset + 46, offset + 46 + name.length).equals(name)) offset = raw.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), offset - 1);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect((raw.readUInt32LE(offset + 38) >>> 16) & 0o777).toBe(0o755);
  });
});

describe('deployScript', () => {
  it('stops before anything runs when a template needs S3 and no bucket is given', () => {
    const script = deployScript('p', 'us-east-1', [
      { stackName: 'big', templateFile: 'templates/big.yaml', parametersFile: 'parameters/big.json', capabilities: [], viaS3: true, templateBytes: 60_000, pending: {}, after: [], alongside: [] },
    ], 'now');
    expect(script).toContain('aws s3 cp templates/big.yaml "s3://$TEMPLATE_BUCKET/lakerunner/p/big.yaml"');
    expect(script).toContain('--template-url "https://$TEMPLATE_BUCKET.s3.$REGION.amazonaws.com/lakerunner/p/big.yaml"');
    const run = spawnSync('bash', ['-c', script], { env: { NODE_ENV: 'test', PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("templates/big.yaml (60,000 bytes) exceed CloudFormation's 51,200-byte limit");
  });
});

describe('quick-create files', () => {
  it('lay the templates out under the base URL key prefix', () => {
    const plan = fullPlan();
    plan.templateBaseUrl = 'https://my-bucket.s3.eu-west-1.amazonaws.com/lakerunner/v1/';
    const files = buildQuickCreateFiles(plan);
    expect(files?.fileName).toBe('my-bucket-templates.zip');
    expect(Object.keys(unzipSync(files!.bytes)).sort()).toEqual(METAS_2025.map((m) => `lakerunner/v1/${m.stem}.yaml`).sort());
  });
});
