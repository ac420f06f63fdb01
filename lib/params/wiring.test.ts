import { describe, expect, it } from 'vitest';
import type { StackMeta } from '@/templates/stack';
import { defaultPlan, filledKeys, planStacks, userSpecs, type Plan } from './plan';
import { copySteps, wireText, wiringOf } from './wiring';

const spec = (key: string, extra: object = {}) => ({ key, type: 'String' as const, label: `${key} label`, description: `The ${key} of the stack.`, group: 'G', default: '', ...extra });
const stack = (id: string, parameters: ReturnType<typeof spec>[], inputs: StackMeta['inputs'] = {}, inclusion: StackMeta['inclusion'] = 'always'): StackMeta => ({
  id,
  stem: `st-${id}`,
  aliases: [],
  title: `${id} title`,
  purpose: 'For tests.',
  inclusion,
  lossOnDelete: '',
  parameters,
  rules: [],
  needs: [],
  after: [],
  inputs,
});

// A network made for new networks; a core with the shared scheme and organization; an edge that
// takes both and puts its load balancer in the subnets its own scheme chooses.
const METAS: StackMeta[] = [
  stack('net', [], {}, 'new-network'),
  stack('core', [spec('Scheme', { default: 'internal', allowedValues: ['internal', 'internet-facing'] }), spec('Org'), spec('Vpc')], { Vpc: { output: ['net', 'VpcId'] } }),
  stack(
    'edge',
    [spec('Scheme', { default: 'internal', allowedValues: ['internal', 'internet-facing'] }), spec('CoreScheme'), spec('Org'), spec('Subnets'), spec('Vpc')],
    {
      CoreScheme: { sameAs: ['core', 'Scheme'] },
      Org: { sameAs: ['core', 'Org'] },
      Vpc: { sameAs: ['core', 'Vpc'] },
      Subnets: { outputBy: { key: 'Scheme', cases: { internal: ['net', 'Private'], 'internet-facing': ['net', 'Public'] } } },
    },
    'toggle',
  ),
];
const LINE = { id: 'current' as const, stacks: METAS, toggles: [{ id: 'edge', label: 'Edge', help: 'The edge.', default: true }] };

function plan(change: (p: Plan) => void = () => {}): Plan {
  const p = defaultPlan(LINE);
  p.params.core!.Org = 'org-1';
  change(p);
  return p;
}
const edgeOf = (p: Plan) => planStacks(p, METAS).find((s) => s.meta.id === 'edge')!;
const edge = METAS[2]!;

describe('values the plan settles itself', () => {
  it('gives a shared value to every stack that takes it, asked once', () => {
    const p = plan((x) => (x.params.core!.Scheme = 'internet-facing'));
    expect(edgeOf(p).values).toMatchObject({ CoreScheme: 'internet-facing', Org: 'org-1' });
    expect(userSpecs(edge, p, METAS).map((s) => s.key)).toEqual(['Scheme']);
    // a stale value stored on the taker is ignored
    p.params.edge!.Org = 'stale';
    expect(edgeOf(p).values.Org).toBe('org-1');
  });

  it('follows a shared value to its origin: the producer of the owner’s output', () => {
    expect(edgeOf(plan()).pending.Vpc).toEqual({ stack: 'net', output: 'VpcId' });
    const existing = plan((x) => {
      x.network = 'existing';
      x.params.core!.Vpc = 'vpc-123';
    });
    expect(edgeOf(existing).values.Vpc).toBe('vpc-123');
  });

  it('takes the output the chooser names: public subnets when internet-facing, private otherwise', () => {
    expect(edgeOf(plan()).pending.Subnets).toEqual({ stack: 'net', output: 'Private' });
    expect(edgeOf(plan((x) => (x.params.edge!.Scheme = 'internet-facing'))).pending.Subnets).toEqual({ stack: 'net', output: 'Public' });
  });

  it('asks the user when the producer is not in the plan (an existing network)', () => {
    const p = plan((x) => {
      x.network = 'existing';
      x.params.edge!.Subnets = 'subnet-1,subnet-2';
    });
    expect(filledKeys(edge, p, METAS)).toEqual(['CoreScheme', 'Org', 'Vpc']);
    expect(edgeOf(p).values.Subnets).toBe('subnet-1,subnet-2');
    expect(edgeOf(p).pending).toEqual({});
  });
});

describe('the wiring in words', () => {
  it('says where each filled parameter comes from', () => {
    const p = plan((x) => (x.params.edge!.Scheme = 'internet-facing'));
    const wires = wiringOf(edge, p, METAS);
    expect(Object.keys(wires)).toEqual(['CoreScheme', 'Org', 'Subnets', 'Vpc']);
    const text = Object.fromEntries(Object.entries(wires).map(([key, wire]) => [key, wireText(wire, p, METAS)]));
    expect(text).toEqual({
      CoreScheme: 'same as core title: Scheme label',
      Org: 'same as core title: Org label',
      Subnets: 'from st-net output Public (as Scheme is internet-facing)',
      Vpc: 'same as core title: Vpc label, from st-net output VpcId',
    });
  });

  it('lists what to copy before launching a stack from the AWS console, by producer', () => {
    const p = plan((x) => (x.stackNames.net = 'my-net'));
    expect(copySteps(edge, p, METAS)).toEqual([
      { stack: 'net', stackName: 'my-net', copies: [{ output: 'Private', parameter: 'Subnets' }, { output: 'VpcId', parameter: 'Vpc' }] },
    ]);
    expect(copySteps(edge, plan((x) => (x.network = 'existing')), METAS)).toEqual([]);
  });
});
