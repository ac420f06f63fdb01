// Parity with upstream v1.7.5 as the fact sheet records it: every top-level parameter with the same
// name, type, default, allowed values, pattern, length and range constraints and NoEcho; the same
// parameter groups; every condition, resource (with its type) and output; and the children's
// parameter names, so either root can load either's children.
import { describe, expect, it } from 'vitest';
import type { CfnParameter, Template } from '@/lib/cfn/template';
import type { CurrentStackId } from './ids';
import { childOf, templateOf } from './testing/rendered';
import { UPSTREAM, UPSTREAM_CHILDREN, UPSTREAM_COUNTS, type UpstreamParameter, type UpstreamTemplate } from './testing/upstream';

const TOP = Object.entries(UPSTREAM) as [CurrentStackId, UpstreamTemplate][];
const CHILDREN = Object.entries(UPSTREAM_CHILDREN);

/** The constraint-bearing fields of a rendered parameter, in the shape of the transcription. */
function contract(p: CfnParameter): UpstreamParameter {
  return {
    type: p.Type,
    ...(p.Default !== undefined ? { default: p.Default } : {}),
    ...(p.AllowedValues ? { allowedValues: p.AllowedValues } : {}),
    ...(p.AllowedPattern !== undefined ? { allowedPattern: p.AllowedPattern } : {}),
    ...(p.NoEcho ? { noEcho: true as const } : {}),
    ...(p.MinLength !== undefined ? { minLength: p.MinLength } : {}),
    ...(p.MinValue !== undefined ? { minValue: p.MinValue } : {}),
    ...(p.MaxValue !== undefined ? { maxValue: p.MaxValue } : {}),
    ...(p.MaxLength !== undefined ? { maxLength: p.MaxLength } : {}),
  } as UpstreamParameter;
}

const groupsOf = (template: Template) => {
  const iface = template.Metadata?.['AWS::CloudFormation::Interface'] as { ParameterGroups: { Label: { default: string }; Parameters: string[] }[] };
  return Object.fromEntries(iface.ParameterGroups.map((g) => [g.Label.default, g.Parameters]));
};

describe('the transcription of the fact sheet', () => {
  it.each([...TOP, ...CHILDREN])('%s has the counts of the size table', (id, upstream) => {
    const counts = UPSTREAM_COUNTS[id];
    expect(counts, id).toBeDefined();
    expect(Object.keys(upstream.parameters ?? {}).length || upstream.parameterNames?.length).toBe(counts?.params);
    expect(Object.keys(upstream.resources)).toHaveLength(counts?.resources ?? -1);
    expect(upstream.outputs).toHaveLength(counts?.outputs ?? -1);
    expect(upstream.conditions).toHaveLength(counts?.conditions ?? -1);
  });
});

describe('top-level parameter parity', () => {
  it.each(TOP)('%s declares every upstream parameter with the same type, default, constraints and NoEcho', (id, upstream) => {
    const parameters = templateOf(id).Parameters ?? {};
    const ours = Object.fromEntries(Object.keys(upstream.parameters ?? {}).map((key) => [key, parameters[key] ? contract(parameters[key]) : 'missing']));
    expect(ours).toEqual(upstream.parameters);
  });

  it.each(TOP)('%s keeps upstream\'s parameter groups, and groups only what upstream leaves ungrouped elsewhere', (id, upstream) => {
    const groups = groupsOf(templateOf(id));
    for (const [label, members] of Object.entries(upstream.groups)) expect(groups[label], label).toEqual(members);
    const upstreamGrouped = new Set(Object.values(upstream.groups).flat());
    const added = Object.entries(groups).filter(([label]) => !(label in upstream.groups)).flatMap(([, members]) => members);
    expect(added.filter((key) => upstreamGrouped.has(key))).toEqual([]);
  });
});

describe('conditions, resources and outputs', () => {
  it.each([...TOP.map(([id, u]) => [id, u, templateOf(id)] as const), ...CHILDREN.map(([id, u]) => [id, u, childOf(id)] as const)])(
    '%s has every upstream condition, resource (of the same type) and output',
    (_id, upstream, template) => {
      expect(Object.keys(template.Conditions ?? {})).toEqual(expect.arrayContaining(upstream.conditions));
      const types = Object.fromEntries(Object.keys(upstream.resources).map((key) => [key, template.Resources[key]?.Type ?? 'missing']));
      expect(types).toEqual(upstream.resources);
      expect(Object.keys(template.Outputs ?? {})).toEqual(expect.arrayContaining(upstream.outputs));
    },
  );

  it.each(CHILDREN)('child %s declares exactly upstream\'s parameters (either root loads either\'s children)', (id, upstream) => {
    expect(Object.keys(childOf(id).Parameters ?? {}).sort()).toEqual([...(upstream.parameterNames ?? [])].sort());
  });

  it('adds to upstream only the resources the fixes need', () => {
    const added = TOP.flatMap(([id, upstream]) => Object.keys(templateOf(id).Resources).filter((key) => !(key in upstream.resources)).map((key) => `${id}.${key}`));
    const childAdded = CHILDREN.flatMap(([id, upstream]) => Object.keys(childOf(id).Resources).filter((key) => !(key in upstream.resources)).map((key) => `${id}.${key}`));
    expect([...added, ...childAdded]).toEqual(['infra-base.QueryFromControl']);
  });
});
