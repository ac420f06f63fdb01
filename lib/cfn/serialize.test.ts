import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { STACKS_2025 as STACKS } from '@/templates/line-2025';
import { renderTemplate } from '@/templates/stack';
import { canonicalize, toJson, toYaml } from './serialize';
import type { Template } from './template';

// The yaml package on its own, with the options toYaml has always meant: what toYaml's shortcuts
// (its own node building, word-like strings printed without the package's type checks) must equal.
const packageYaml = (template: Template) =>
  stringify(canonicalize(template), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, directives: false });

const asTemplate = (value: unknown) => value as Template;

// Strings close to the shortcut's edge: word-like tokens, YAML 1.1 booleans and nulls, numbers,
// octals, sexagesimals, timestamps, trailing colons, spaces, comments and indicators.
const edgy = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_:./ #-]{0,12}$/),
  fc.constantFrom('Yes', 'No', 'yes', 'NO', 'On', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'null', 'Null', '~', '', 'Ref', 'Fn::GetAtt', 'AWS::EC2::VPC'),
  fc.constantFrom('0755', '1:20', '190:20:30', '2026-11-27', '0x1F', '1e3', '.inf', '.NaN', '-', '---', '...', 'a:', 'a: b', 'a #b', 'key:value', 'x.y/z-1', 'a\nb', '<<', '=', 'arn:aws:iam::aws:policy/X'),
);

describe('toYaml', () => {
  it.each(STACKS.map((stack) => [stack.stem, renderTemplate(stack)] as const))('prints %s exactly as the yaml package does', (_stem, template) => {
    expect(toYaml(template)).toBe(packageYaml(template));
  });

  it('prints any string as the yaml package does, as a key, a value and a list item, and parses back under YAML 1.1', () => {
    fc.assert(
      fc.property(edgy, edgy, (key, value) => {
        const template = asTemplate({ Resources: { [key]: value, List: [value, key] }, Description: value });
        const yaml = toYaml(template);
        expect(yaml).toBe(packageYaml(template));
        // A "<<" key is YAML 1.1's merge key for the package too; template keys never are.
        if (key !== '<<') expect(parse(yaml, { version: '1.1' })).toEqual(JSON.parse(toJson(template)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('prints any JSON data as the yaml package does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (data) => {
        const template = asTemplate(data);
        expect(toYaml(template)).toBe(packageYaml(template));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps CloudFormation strings that YAML 1.1 would read as something else quoted', () => {
    const yaml = toYaml(asTemplate({ Parameters: { CreateNatGateway: { Type: 'String', Default: 'Yes', AllowedValues: ['Yes', 'No'] } }, Outputs: { Mode: { Value: '0755' } } }));
    expect(yaml).toContain('Default: "Yes"');
    expect(yaml).toContain('- "No"');
    expect(yaml).toContain('Value: "0755"');
    expect(yaml).toContain('Type: String');
  });
});
