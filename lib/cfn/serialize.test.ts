import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { STACKS } from '@/templates/index';
import { renderTemplate } from '@/templates/stack';
import { canonicalize, toJson, toYaml } from './serialize';
import type { Template } from './template';

// The yaml package on its own, with the options toYaml has always meant: what toYaml's shortcuts
// (block YAML written directly, scalars printed as the package prints them as map values and
// re-indented, word-like strings without the package's type checks) must equal.
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

  it('prints nested maps and lists of awkward keys and values as the yaml package does (property-based)', () => {
    // Multi-line strings, indentation-sensitive block scalars, document markers, quotes, tabs and
    // control characters, at every depth, as keys and values, in maps and in lists.
    const awkward = fc.oneof(
      edgy,
      fc.stringMatching(/^[A-Za-z0-9 :#\n\t'"|>-]{0,14}$/),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('---', '...', '%x', '- a', '? x', 'a\n', '\n', ' a\nb', 'a\n\n', 'a\n ', 'multi\nline\n  indented\n', '\r\n', 'tab\there'),
    );
    const scalar = fc.oneof(awkward, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(awkward, tie('node'), { maxKeys: 4 }),
      list: fc.array(tie('node'), { maxLength: 4 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(awkward, tree.node, { maxKeys: 5 }), (data) => {
        const template = asTemplate(data);
        expect(toYaml(template)).toBe(packageYaml(template));
      }),
      { numRuns: 2_000 },
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
