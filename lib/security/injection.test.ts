// Values a user may legitimately enter, chosen to be as hostile as the schema allows, must never
// change a template's structure (YAML/JSON injection) nor reach a shell unquoted (deploy.sh and the
// copyable AWS CLI commands). Each is run for real: CloudFormation's YAML reading, bash with a
// stand-in `aws` that records its arguments.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { serialize, type TemplateFormat } from '@/lib/cfn/serialize';
import { checkYamlFormat } from '@/lib/params/formats';
import { cliCommand, MASK, type CliStack, type TemplateSource } from '@/lib/params/cli';
import { type Plan } from '@/lib/params/plan';
import { templateUrlFor } from '@/lib/params/template-url';
import { parsePlan, renderPlan, type RenderedStack } from '@/lib/plan';
import { buildBundle } from '@/lib/plan/bundle';
import { parseTemplateText } from '@/lib/sandbox/cfn/parse';
import { stackById } from '@/templates';
import { renderTemplate } from '@/templates/stack';
import { fuzz } from './testing/fuzz';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';

const work = mkdtempSync(join(tmpdir(), 'lr-injection-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Created by any of the payloads below if a shell ever runs them. */
const CANARY = join(work, 'pwned');
const SHELL_PAYLOADS = [`$(touch\${IFS}${CANARY})`, `\`touch\${IFS}${CANARY}\``, `';touch\${IFS}${CANARY};'`, `";touch\${IFS}${CANARY};"`, `|touch\${IFS}${CANARY}`, `&&touch\${IFS}${CANARY}`];
const TEMPLATE_PAYLOADS = ['!Ref AWS::AccountId', '${AWS::StackName}', '{{resolve:ssm:/secret}}', '"},"Resources":{"Evil":{}},"x":{"', '&anchor', '*alias', '{Fn::GetAtt: [Evil, Arn]}', '@VpcId@', '@PrivateSubnets@'];
const NASTY_TEXT = fc.oneof(fc.constantFrom(...SHELL_PAYLOADS, ...TEMPLATE_PAYLOADS), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }));
/** Path characters an http URL allows (no white space), the shell's and YAML's specials included. */
const URL_PATH = fc.array(fc.oneof(fc.constantFrom(...SHELL_PAYLOADS, ...TEMPLATE_PAYLOADS.map((p) => p.replace(/\s/g, ''))), fc.stringMatching(/^[!-~]{1,6}$/)), { maxLength: 4 }).map((parts) => parts.join(''));

function orgYaml(keys: Record<string, unknown>[]): string {
  return stringify(keys, { lineWidth: 0 });
}

/** A plan every field of which passes the schema, filled with the nastiest text each field allows. */
const hostilePlan: fc.Arbitrary<Plan> = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,40}$/),
    prefix: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/),
    endpoint: URL_PATH,
    collector: NASTY_TEXT.filter((t) => t.trim() !== ''),
    profileEndpoint: NASTY_TEXT,
    apiKey: NASTY_TEXT.filter((t) => t.trim() !== ''),
    receiver: NASTY_TEXT,
    exporterEndpoint: NASTY_TEXT,
    keyPrefix: fc.stringMatching(/^[A-Za-z0-9!_.*'()-]{1,20}$/),
    resetToken: fc.stringMatching(/^[A-Za-z0-9._-]{0,64}$/),
  })
  .map((v) => {
    const plan = defaultPlan2025();
    plan.name = v.name;
    plan.include = { grafana: true, otel: true, demo: true };
    for (const meta of METAS_2025) plan.stackNames[meta.id] = `${v.prefix}-${meta.id}`;
    plan.templateBaseUrl = `https://lr-templates.s3.us-east-1.amazonaws.com/${v.keyPrefix}/`;
    plan.params.services.OtelEndpoint = `http://collector.example:4318/${v.endpoint}`;
    plan.params.common.StorageProfilesOverride = orgYaml([
      { organization_id: '12340000-0000-4000-8000-000000000000', collector_name: v.collector, bucket: 'lr-bucket', endpoint: v.profileEndpoint },
    ]);
    plan.params.common!.ApiKeysOverride = orgYaml([{ organization_id: '12340000-0000-4000-8000-000000000000', keys: [v.apiKey] }]);
    plan.params.otel.OtelConfigYaml = stringify(
      { receivers: { [v.receiver]: { protocols: { http: {} } } }, exporters: { x: { endpoint: v.exporterEndpoint } }, service: { pipelines: { traces: { receivers: [v.receiver] } } } },
      { lineWidth: 0 },
    );
    plan.params.grafana.GrafanaResetToken = v.resetToken;
    return plan;
  });

async function validPlan(input: Plan): Promise<Plan> {
  const parsed = await parsePlan(JSON.parse(JSON.stringify(input)));
  if (!parsed.ok) throw new Error(`the generated plan is not valid: ${JSON.stringify(parsed.fieldErrors).slice(0, 500)}`);
  return parsed.plan;
}

/** The template as CloudFormation reads it, with every parameter default set aside. */
function structure(text: string): { shape: unknown; defaults: Record<string, unknown> } {
  const template = parseTemplateText(text) as { Parameters?: Record<string, Record<string, unknown>> };
  const defaults = Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([key, p]) => [key, p.Default]));
  for (const parameter of Object.values(template.Parameters ?? {})) delete parameter.Default;
  return { shape: template, defaults };
}

describe('user values in templates', () => {
  it('hostile values valid for the schema keep every template structurally identical, each value intact', async () => {
    const reference = new Map(METAS_2025.flatMap((meta) => (['yaml', 'json'] as const).map((format) => [`${meta.id}.${format}`, structure(serialize(renderTemplate(stackById('2025', meta.id)), format))])));
    const runs = await fuzz(
      hostilePlan,
      async (input) => {
        const plan = await validPlan(input);
        for (const stack of renderPlan(plan)) {
          for (const format of ['yaml', 'json'] as TemplateFormat[]) {
            const { shape, defaults } = structure(serialize(stack.template, format));
            const expected = reference.get(`${stack.meta.id}.${format}`)!;
            expect(shape, `${stack.meta.id} ${format}`).toEqual(expected.shape);
            for (const spec of stack.meta.parameters) {
              // NoEcho values and values still to come from another stack's outputs keep the spec's default.
              const want = spec.noEcho || stack.values[spec.key] === undefined ? spec.default : stack.values[spec.key];
              expect(defaults[spec.key] === undefined ? undefined : String(defaults[spec.key]), `${stack.meta.id}.${spec.key} (${format})`).toBe(want);
            }
          }
        }
      },
      60,
    );
    expect(runs).toBe(60);
  });

  it('NoEcho values never appear in any template text', async () => {
    const plan = await validPlan(fc.sample(hostilePlan, { numRuns: 1, seed: 7 })[0]!);
    plan.params.common!.ApiKeysOverride = orgYaml([{ organization_id: '12340000-0000-4000-8000-000000000000', keys: ['noecho-canary-4b1e'] }]);
    for (const stack of renderPlan(plan)) for (const format of ['yaml', 'json'] as const) expect(serialize(stack.template, format)).not.toContain('noecho-canary-4b1e');
  });

  it('a YAML override whose aliases expand too far is a field error, not a crash', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    expect(await checkYamlFormat('yaml-otel-config', bomb, 'Collector configuration')).toMatch(/^Collector configuration is not valid YAML: .*alias/i);
  });
});

/**
 * A stand-in `aws` that writes its argv (NUL-separated) to a file per call, and answers like an
 * account that creates stacks: a stack's parameters are the ones it was created with.
 */
const FAKE_AWS = String.raw`#!/usr/bin/env bash
n=$(ls "$AWS_LOG" | wc -l)
printf '%s\0' "$@" > "$AWS_LOG/$(printf '%04d' "$n")"
name=""
previous=""
for arg in "$@"; do [ "$previous" = "--stack-name" ] && name="$arg"; previous="$arg"; done
case "$1 $2" in
  "cloudformation describe-stacks")
    if [[ "$*" == *StackStatus* ]]; then exit 254; fi
    if [[ "$*" =~ ParameterKey==\'([A-Za-z]+)\' ]]; then
      python3 -c 'import json, sys; print(next((p["ParameterValue"] for p in json.load(open(sys.argv[1])) if p["ParameterKey"] == sys.argv[2]), ""))' "$AWS_LOG/params-$name" "$\{BASH_REMATCH[1]}"
      exit 0
    fi
    # deploy.sh reads a stack's outputs once, all of them (the 2025 line's plans read the VPC's)
    if [[ "$*" == *"Outputs[].[OutputKey,OutputValue]"* ]]; then
      printf 'VpcId\tvpc-0123456789abcdef0\nPrivateSubnets\tsubnet-0aaa1111,subnet-0bbb2222\nPublicSubnets\tsubnet-0ccc3333,subnet-0ddd4444\n'
      exit 0
    fi
    case "$*" in
      *VpcId*) echo vpc-0123456789abcdef0 ;;
      *PrivateSubnets*) echo subnet-0aaa1111,subnet-0bbb2222 ;;
      *PublicSubnets*) echo subnet-0ccc3333,subnet-0ddd4444 ;;
      *) echo "$*" | sed -n "s/.*OutputKey=='\([A-Za-z]*\)'.*/output-\1/p" ;;
    esac ;;
  "cloudformation create-stack" | "cloudformation update-stack")
    for arg in "$@"; do case "$arg" in file://*) f="$\{arg#file://}"; [ -f "$f" ] && cp "$f" "$AWS_LOG/$(printf '%04d' "$n").file" && cp "$f" "$AWS_LOG/params-$name" ;; esac; done ;;
esac
exit 0
`.replaceAll('$\\{', '${');

/** The environment bash runs in: the stand-in aws first on PATH, a HOME without start-up files. */
const shellEnv = (aws: { bin: string; log: string }, extra: Record<string, string>) => ({ NODE_ENV: 'test' as const, PATH: `${aws.bin}:/usr/bin:/bin`, HOME: work, AWS_LOG: aws.log, ...extra });

function fakeAws(): { bin: string; log: string } {
  const dir = mkdtempSync(join(work, 'aws-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'log');
  mkdirSync(bin);
  mkdirSync(log);
  writeFileSync(join(bin, 'aws'), FAKE_AWS);
  chmodSync(join(bin, 'aws'), 0o755);
  return { bin, log };
}

interface Call {
  argv: string[];
  /** The file a file:// argument pointed to, as it was when aws ran. */
  file?: string;
}

function calls(log: string): Call[] {
  return readdirSync(log)
    .filter((name) => /^\d{4}$/.test(name))
    .sort()
    .map((name) => {
      const argv = readFileSync(join(log, name), 'utf8').split('\0').slice(0, -1);
      const file = existsSync(join(log, `${name}.file`)) ? readFileSync(join(log, `${name}.file`), 'utf8') : undefined;
      return { argv, file };
    });
}

const flag = (argv: string[], name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const OUTPUTS: Record<string, string> = { VpcId: 'vpc-0123456789abcdef0', PrivateSubnets: 'subnet-0aaa1111,subnet-0bbb2222', PublicSubnets: 'subnet-0ccc3333,subnet-0ddd4444' };
/** What the stand-in aws answers for a stack output. */
const outputValue = (output: string) => OUTPUTS[output] ?? `output-${output}`;

function extract(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(work, 'bundle-'));
  for (const [path, data] of Object.entries(unzipSync(bytes))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return dir;
}

describe('values and the shell', () => {
  it('deploy.sh passes hostile values through intact: names as single arguments, values only in parameter files', async () => {
    const runs = await fuzz(
      hostilePlan,
      async (input) => {
        const plan = await validPlan(input);
        const stacks = renderPlan(plan);
        const bundle = buildBundle(plan, 'yaml', '2026-11-27T00:00:00.000Z');
        const dir = extract(bundle.bytes);
        const root = readdirSync(dir)[0]!;
        const aws = fakeAws();
        const run = spawnSync('bash', [join(dir, root, 'deploy.sh')], {
          env: shellEnv(aws, { LAKERUNNER_TEMPLATE_BUCKET: 'lr-staging' }),
          stdio: ['ignore', 'pipe', 'pipe'],
          encoding: 'utf8',
        });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(existsSync(CANARY)).toBe(false);
        expect(run.stdout.trim().split('\n').at(-1)).toBe(`All ${stacks.length} stacks of plan ${plan.name} are ready.`);

        const creates = calls(aws.log).filter((c) => c.argv[1] === 'create-stack');
        expect(creates.map((c) => flag(c.argv, '--stack-name'))).toEqual(stacks.map((s) => s.stackName));
        for (const [i, create] of creates.entries()) {
          const stack = stacks[i]!;
          expect(flag(create.argv, '--region')).toBe(plan.region);
          const source = flag(create.argv, '--template-body') ?? flag(create.argv, '--template-url');
          expect([`file://templates/${stack.meta.stem}.yaml`, `https://lr-staging.s3.${plan.region}.amazonaws.com/lakerunner/${root}/${stack.meta.stem}.yaml`]).toContain(source);
          const sent = JSON.parse(create.file ?? '[]') as { ParameterKey: string; ParameterValue: string }[];
          const want = stack.meta.parameters.map((spec) => ({ ParameterKey: spec.key, ParameterValue: stack.pending[spec.key] ? outputValue(stack.pending[spec.key]!.output) : stack.values[spec.key] }));
          expect(sent.map((p) => p.ParameterKey), stack.stackName).toEqual(want.filter((p) => p.ParameterValue !== undefined).map((p) => p.ParameterKey));
          for (const { ParameterKey, ParameterValue } of sent) expect(ParameterValue, `${stack.stackName} ${ParameterKey}`).toBe(want.find((p) => p.ParameterKey === ParameterKey)?.ParameterValue);
        }
      },
      12,
    );
    expect(runs).toBe(12);
  });

  it('deploy.sh fills in only its own placeholders, never text in a value that spells one', async () => {
    const plan = defaultPlan2025();
    plan.params.common.StorageProfilesOverride = orgYaml([{ organization_id: '12340000-0000-4000-8000-000000000000', collector_name: '"@VpcId@"', bucket: 'lr-bucket', endpoint: '@PrivateSubnets@' }]);
    const dir = extract(buildBundle(await validPlan(plan), 'json', '2026-11-27T00:00:00.000Z').bytes);
    const aws = fakeAws();
    const run = spawnSync('bash', [join(dir, 'lakerunner', 'deploy.sh')], { env: shellEnv(aws, { LAKERUNNER_TEMPLATE_BUCKET: 'lr-staging' }), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const common = calls(aws.log).find((c) => c.argv[1] === 'create-stack' && flag(c.argv, '--stack-name') === 'lakerunner-common');
    const sent = Object.fromEntries((JSON.parse(common?.file ?? '[]') as { ParameterKey: string; ParameterValue: string }[]).map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(sent.StorageProfilesOverride).toBe(plan.params.common.StorageProfilesOverride);
    expect(sent.VpcId).toBe(OUTPUTS.VpcId);
    expect(sent.PrivateSubnets).toBe(OUTPUTS.PrivateSubnets);
  });

  it('the copyable AWS CLI commands pass every value through intact, whatever the template source', async () => {
    const runs = await fuzz(
      hostilePlan,
      async (input) => {
        const plan = await validPlan(input);
        for (const stack of renderPlan(plan)) {
          const file = `${stack.meta.stem}.yaml`;
          const sources: TemplateSource[] = [{ file }, { url: templateUrlFor(plan.templateBaseUrl, file) }, { upload: { file, bucketVar: 'TEMPLATE_BUCKET', key: `lakerunner/${file}` } }];
          for (const template of sources) for (const mode of ['create', 'update'] as const) expectCliIntact(plan, stack, template, mode);
        }
      },
      4,
    );
    expect(runs).toBe(4);
  });
});

function expectCliIntact(plan: Plan, stack: RenderedStack, template: TemplateSource, mode: 'create' | 'update') {
  const pending = Object.fromEntries(Object.entries(stack.pending).map(([k, p]) => [k, { ...p, stackName: plan.stackNames[p.stack] ?? p.stack }]));
  const cli: CliStack = { stackName: stack.stackName, region: plan.region, specs: stack.meta.parameters, values: stack.values, pending, capabilities: stack.capabilities, template };
  const aws = fakeAws();
  // stdin from /dev/null: bash reads ~/.bashrc when its stdin is a socket, as Node's pipes are.
  const run = spawnSync('bash', ['-c', cliCommand(cli, mode)], {
    env: shellEnv(aws, { TEMPLATE_BUCKET: 'lr-staging' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const where = `${stack.stackName} ${mode} ${JSON.stringify(template)}`;
  expect(run.stderr, where).toBe('');
  expect(run.status, where).toBe(0);
  expect(existsSync(CANARY)).toBe(false);
  const call = calls(aws.log).find((c) => c.argv[1] === `${mode}-stack`);
  expect(call, where).toBeDefined();
  const argv = call!.argv;
  expect(flag(argv, '--stack-name')).toBe(stack.stackName);
  if ('file' in template) expect(flag(argv, '--template-body')).toBe(`file://${template.file}`);
  else if ('url' in template) expect(flag(argv, '--template-url'), where).toBe(template.url);
  else expect(flag(argv, '--template-url')).toBe(`https://lr-staging.s3.${plan.region}.amazonaws.com/${template.upload.key}`);
  const sent = JSON.parse(flag(argv, '--parameters') ?? '[]') as { ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean }[];
  for (const spec of stack.meta.parameters) {
    const entry = sent.find((p) => p.ParameterKey === spec.key);
    if (stack.pending[spec.key]) expect(entry?.ParameterValue, spec.key).toBe(outputValue(stack.pending[spec.key]!.output));
    else if (spec.noEcho) expect(entry, spec.key).toEqual(mode === 'update' ? { ParameterKey: spec.key, UsePreviousValue: true } : stack.values[spec.key] ? { ParameterKey: spec.key, ParameterValue: MASK } : undefined);
    else expect(entry?.ParameterValue, `${where} ${spec.key}`).toBe(stack.values[spec.key]);
  }
}
