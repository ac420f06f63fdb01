// Line-wide checks of every current-line template and child: the official resource schemas,
// references, no exports or imports, the partition, sizes, deterministic serialization, the
// parameter specs' wording and defaults, and one golden snapshot per file.
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { NESTED_STACK_TYPE } from '@/lib/cfn/nested';
import { byteLength, canonicalize, TEMPLATE_BODY_LIMIT, toJson, toYaml } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import { checkRule, checkValue } from '@/lib/params/check';
import { checkYamlFormat, isYamlFormat } from '@/lib/params/formats';
import { templateFiles } from '../files';
import { renderTemplate } from '../stack';
import { checkReferences, walk } from '../testing/references';
import { SchemaChecker } from '../testing/schema';
import { SERVICES_CHILDREN } from './cardinal-lakerunner-services';
import { CURRENT_STACKS } from './index';
import { NAMED } from './testing/rendered';

let checker: SchemaChecker;
beforeAll(async () => {
  checker = new SchemaChecker(await loadAwsServiceSpec());
});

/** A nested stack's attributes are its outputs (Outputs.<Key>); the wiring tests check those. */
const attributesOf = (type: string) => (type === NESTED_STACK_TYPE ? undefined : checker.attributes(type));
const SPECS = [...CURRENT_STACKS.map((s) => [s.stem, s.parameters, s.rules] as const), ...SERVICES_CHILDREN.map((c) => [c.meta.file, c.parameters, []] as const)];

describe('every current-line template', () => {
  it('is rendered: eight stacks and the seven children of the services root', () => {
    expect(NAMED.map(([name]) => name)).toEqual([
      'cardinal-poc-vpc',
      'cardinal-poc-ecs-cluster',
      'cardinal-lakerunner-infra-base',
      'cardinal-lakerunner-infra-rds',
      'cardinal-satellite-infra-base',
      'cardinal-satellite-services',
      'cardinal-lakerunner-services',
      'cardinal-lakerunner/cert',
      'cardinal-lakerunner/alb',
      'cardinal-lakerunner/migration',
      'cardinal-lakerunner/services-query',
      'cardinal-lakerunner/services-process',
      'cardinal-lakerunner/services-control',
      'cardinal-lakerunner/maestro',
      'cardinal-satellite-cwmetrics',
    ]);
  });

  it.each(NAMED)('%s matches the official resource schemas (types, properties, value types, required properties)', (_name, { template }) => {
    expect(checker.check(template)).toEqual([]);
  });

  it.each(NAMED)('%s resolves every Ref, GetAtt, Sub variable, condition and DependsOn', (_name, { template }) => {
    expect(checkReferences(template, attributesOf)).toEqual([]);
  });

  it.each(NAMED)('%s neither exports nor imports (wiring is by outputs → parameters)', (_name, { template }) => {
    const found: string[] = [];
    walk(template, '', (node, path) => {
      if ('Fn::ImportValue' in node || 'Export' in node) found.push(path);
    });
    expect(found).toEqual([]);
  });

  it.each(NAMED)('%s writes no ARN with a fixed partition in its resources and outputs', (_name, { template }) => {
    const text = JSON.stringify({ Resources: template.Resources, Outputs: template.Outputs ?? {} });
    expect(text).not.toMatch(/arn:aws[a-z-]*:/);
  });

  it.each(NAMED)('%s fits the 51,200-byte TemplateBody limit as compact JSON', (_name, { template }) => {
    expect(byteLength(toJson(template))).toBeLessThanOrEqual(TEMPLATE_BODY_LIMIT);
  });

  it.each(NAMED)('%s stays within 500 resources, 200 parameters and 200 outputs', (_name, { template }) => {
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(500);
    expect(Object.keys(template.Parameters ?? {}).length).toBeLessThanOrEqual(200);
    expect(Object.keys(template.Outputs ?? {}).length).toBeLessThanOrEqual(200);
  });

  it.each(NAMED)('%s serializes to the same bytes every time, as the yaml package would, and parses back to itself', (name, { template }) => {
    const again = templateFiles(CURRENT_STACKS, 'yaml').find((f) => f.path === `${name}.yaml`)?.template as Template;
    expect(toYaml(again)).toBe(toYaml(template));
    expect(toYaml(template)).toBe(stringify(canonicalize(template), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, directives: false }));
    const expected = JSON.parse(JSON.stringify(canonicalize(template)));
    expect(parse(toYaml(template), { version: '1.1' })).toEqual(expected);
    expect(JSON.parse(toJson(template))).toEqual(expected);
  });

  it.each(NAMED)('%s matches its golden snapshot', async (name, { template }) => {
    await expect(toYaml(template)).toMatchFileSnapshot(`../__snapshots__/current/${name}.yaml`);
  });
});

describe('parameter specs', () => {
  it.each(SPECS)('%s: each parameter has a label, a full-sentence description, a group and a message for its constraints', (_name, specs) => {
    for (const spec of specs) {
      expect(spec.label.trim(), spec.key).not.toBe('');
      expect(spec.group.trim(), spec.key).not.toBe('');
      expect(spec.description, spec.key).toMatch(/^\S+(\s+\S+){4,}[.)]$/s);
      const constrained = [spec.allowedValues, spec.allowedPattern, spec.minLength, spec.maxLength, spec.minValue, spec.maxValue].some((c) => c !== undefined);
      if (constrained) expect(spec.constraintDescription, spec.key).toMatch(/^[A-Z].*\.$/s);
    }
  });

  it.each(SPECS)('%s: every default and example satisfies its own constraints and formats', async (_name, specs) => {
    for (const spec of specs) {
      for (const value of [spec.default, spec.example, spec.proofOfConcept]) {
        if (value === undefined) continue;
        expect(checkValue(spec, value), `${spec.key}=${value}`).toBeUndefined();
        if (isYamlFormat(spec.format)) expect(await checkYamlFormat(spec.format, value, spec.label), spec.key).toBeUndefined();
      }
    }
  });

  it.each(SPECS)('%s: the defaults satisfy every cross-parameter rule that applies to them', (_name, specs, rules) => {
    const defaults = Object.fromEntries(specs.map((p) => [p.key, p.default]));
    // Secrets (NoEcho) never have defaults: the form asks for them.
    const secrets = new Set(specs.filter((p) => p.noEcho).map((p) => p.key));
    for (const rule of rules.filter((r) => !secrets.has(r.then.key))) expect(checkRule(rule, defaults), rule.id).toBeUndefined();
  });

  it('refuses a change set without a license, and the form asks for one', () => {
    const infraBase = CURRENT_STACKS.find((s) => s.id === 'infra-base');
    const rule = infraBase?.rules.find((r) => r.id === 'LicenseRequired');
    expect(rule && checkRule(rule, { LicenseSecretName: 'cardinal-license', LicenseData: '' })).toMatch(/license token is required/);
    expect(rule && checkRule(rule, { LicenseSecretName: 'cardinal-license', LicenseData: 'z64:abc' })).toBeUndefined();
    const template = renderTemplate(infraBase as (typeof CURRENT_STACKS)[number]);
    expect(template.Rules?.LicenseRequired?.Assertions[0]?.Assert).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'LicenseData' }, ''] }] });
  });

  it('keeps NoEcho values out of parameter defaults even when a plan gives them', () => {
    const services = CURRENT_STACKS.find((s) => s.id === 'services') as (typeof CURRENT_STACKS)[number];
    const template = renderTemplate(services, { DexAdminPasswordHash: '$2a$10$secret', CertificatePrivateKey: 'KEY', OrgName: 'Acme' });
    expect(template.Parameters?.DexAdminPasswordHash?.Default).toBe('');
    expect(template.Parameters?.CertificatePrivateKey?.Default).toBe('');
    expect(template.Parameters?.OrgName?.Default).toBe('Acme');
  });
});
