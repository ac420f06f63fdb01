// The fields of a deployment plan and values each can never accept: hostile stack names, YAML
// overrides that are not the expected document (alias bombs included), image references, template
// base URLs, wrong types. Used by the plan routes and the "deploy with the console" action.
import fc from 'fast-check';
import { userSpecs } from '@/lib/params/plan';
import type { ParamSpec } from '@/lib/params/spec';
import { METAS_2025 } from '@/lib/plan/testing/line-2025';
import type { FieldFuzz, Path } from './fuzz';
import { AWKWARD_UNICODE, hostileIdentifier, hostileText, hugeText, INJECTIONS, notText, tainted } from './hostile';
import { basePlan } from './world';

/** YAML documents that are never a list of API keys or storage profiles, nor a collector config. */
export const BAD_YAML = [
  '&a [*a, *a]',
  [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  ].join('\n'),
  '- &x {organization_id: 12340000-0000-4000-8000-000000000000, keys: [k]}\n- *x\n- <<: *x\n  extra: 1',
  '!!js/function "function () { process.exit(1) }"',
  '!!python/object/apply:os.system ["id"]',
  '- organization_id: !!binary aGVsbG8=\n  keys: [k]',
  '%YAML 9.9\n---\n- a',
  'key: value\nkey: duplicate',
  '[unclosed',
  '{"__proto__": {"polluted": true}}',
  '- __proto__: {polluted: true}\n  organization_id: 12340000-0000-4000-8000-000000000000\n  keys: [k]',
  '- organization_id: not-a-uuid\n  keys: []',
  '\t- tab indented',
  '--- |\n  just text',
  `${'- '.repeat(500)}deep`,
  `${'['.repeat(2000)}${']'.repeat(2000)}`,
] as const;

const yamlInvalid = fc.oneof(fc.constantFrom(...BAD_YAML), tainted(hostileText), hugeText, notText);

/** A value `spec` refuses: text with a forbidden character, too much text, or not text at all. */
function invalidValue(spec: ParamSpec): fc.Arbitrary<unknown> {
  if (spec.format?.startsWith('yaml-')) return yamlInvalid;
  const badText = spec.allowedValues || spec.allowedPattern !== undefined || spec.type !== 'String' || spec.format ? hostileIdentifier : hugeText;
  return fc.oneof(badText, notText);
}

const TEMPLATE_BASE_URLS = [
  'http://my-bucket.s3.us-east-1.amazonaws.com/lakerunner/',
  'javascript:alert(1)//.s3.amazonaws.com/',
  'file:///etc/passwd',
  'https://evil.example/lakerunner/',
  'https://my-bucket.s3.amazonaws.com.evil.example/',
  'https://my-bucket.s3.us-east-1.amazonaws.com/a b/',
  'https://my-bucket.s3.us-east-1.amazonaws.com/$(id)/',
  'https://my-bucket.s3.us-east-1.amazonaws.com/%2e%2e/',
  'https://my-bucket.s3.us-east-1.amazonaws.com/x//y/',
  'https://user:pw@my-bucket.s3.us-east-1.amazonaws.com/',
  'https://my..bucket.s3.us-east-1.amazonaws.com/',
  'https://MY-BUCKET.s3.us-east-1.amazonaws.com/',
  'https://my-bucket.s3.us-east-1.amazonaws.com/?x=1',
  'https://my-bucket.s3.us-east-1.amazonaws.com/#fragment',
  'https://my-bucket.s3.us-east-1.amazonaws.com/\u202Eevil/',
  'https://my-bucket.s3.us-east-1.amazonaws.com/"><script>/',
  `https://my-bucket.s3.us-east-1.amazonaws.com/${'a'.repeat(1100)}/`,
] as const;

const INCLUDED = ['vpc', 'common', 'migration', 'services', 'grafana', 'otel'] as const;

/** Every field of the base plan a user can set, under `prefix`, reported relative to the plan. */
export function planFields(prefix: Path = []): FieldFuzz[] {
  const plan = basePlan();
  const at = (path: string[], invalid: fc.Arbitrary<unknown>, required = true): FieldFuzz => ({ path: [...prefix, ...path], invalid, required, reportedAs: path.join('.') });
  const badName = fc.oneof(tainted(hostileText).filter((s) => !/^z[A-Za-z0-9 _.-]*z$/.test(s)), fc.constantFrom('', '-leading', ' spaced', 'x'.repeat(64)), notText, hugeText);
  const badStackName = fc.oneof(hostileIdentifier, fc.constantFrom('', '1starts-with-digit', 'ѕtack', 'a'.repeat(129), 'under_score', '-x'), notText);
  const notBoolean = fc.oneof(hostileText, fc.constantFrom(null, 0, 1, 'true', 'false', [], {}, [true]));
  return [
    at(['name'], badName),
    at(['region'], fc.oneof(hostileText, notText, fc.constantFrom('us-east-1 ', 'US-EAST-1', 'mars-north-1'))),
    at(['network'], fc.oneof(hostileText, notText, fc.constantFrom('NEW', 'existing '))),
    ...(['grafana', 'otel', 'demo'] as const).map((id) => at(['include', id], notBoolean)),
    ...METAS_2025.map((meta) => at(['stackNames', meta.id], badStackName)),
    at(['templateBaseUrl'], fc.oneof(fc.constantFrom(...TEMPLATE_BASE_URLS), tainted(hostileText), notText)),
    at(['params'], fc.oneof(hostileText, fc.constantFrom(null, [], 0))),
    at(['usage'], fc.oneof(hostileText, fc.constantFrom(null, [], 0, true)), false),
    at(['usage', 'telemetryGbPerDay'], fc.oneof(hostileIdentifier, notText, fc.constantFrom('-1', '1e3', '100001', '', ' ', 'NaN', 'Infinity', '0x10'))),
    at(['usage', 'months'], fc.oneof(hostileIdentifier, notText, fc.constantFrom('0', '61', '1.5', '', '-1', '12 '.repeat(3)))),
    ...INCLUDED.flatMap((id) => {
      const meta = METAS_2025.find((m) => m.id === id)!;
      return [
        at(['params', id], fc.oneof(hostileText, fc.constantFrom(null, [], 0, true))),
        ...userSpecs(meta, plan, METAS_2025).map((spec) => at(['params', id, spec.key], invalidValue(spec), false)),
      ];
    }),
  ];
}

/** Image references that must never reach a task definition. */
export const HOSTILE_IMAGES = [
  'public.ecr.aws/cardinalhq.io/lakerunner:v1;rm -rf /',
  'public.ecr.aws/x/y:$(id)',
  'Public.ECR.aws/X/Y:upper',
  'grafana/grafana:latest\nmalicious: true',
  '../../grafana',
  `grafana/grafana@sha256:${'g'.repeat(64)}`,
  `grafana/grafana:${'t'.repeat(129)}`,
  '`id`/grafana',
  'ghcr.io/a/b:tag with space',
  'grafana/grafana:latest"}',
] as const;

/** Hand-picked malformed values for the plan's riskiest fields, each tried on every run. */
export function planExamples(fields: readonly FieldFuzz[]): { field: FieldFuzz; value: unknown }[] {
  const picks: [RegExp, readonly unknown[]][] = [
    [/\.(ApiKeysOverride|StorageProfilesOverride|OtelConfigYaml)$/, BAD_YAML],
    [/Image$/, HOSTILE_IMAGES],
    [/^stackNames\.common$/, [...INJECTIONS, ...AWKWARD_UNICODE]],
    [/^templateBaseUrl$/, TEMPLATE_BASE_URLS],
    [/^name$/, INJECTIONS],
  ];
  return fields.flatMap((field) => {
    const values = picks.find(([pattern]) => pattern.test(field.reportedAs ?? ''))?.[1] ?? [];
    return values.map((value) => ({ field, value }));
  });
}
