// The plan's wiring in words: which parameter of which stack the plan fills, and from where (a
// stack's name, another stack's output, the value of another stack's parameter), for the plan
// page's sections and the launch steps' "after X completes, copy output A into parameter B".
// Derived from the stacks' inputs alone, so every release line gets it. Isomorphic.
import type { StackId, StackMeta } from '@/templates/stack';
import { filledKeys, includedIn, settler, stackNameOf, type Plan, type PlanChoice } from './plan';
import type { ParamValues } from './schema';

/** Where a filled parameter's value comes from. */
export type Wire =
  | { readonly kind: 'stack-name'; readonly stack: StackId }
  | { readonly kind: 'output'; readonly stack: StackId; readonly output: string; readonly chosenBy?: { readonly key: string; readonly value: string } }
  /** The value the plan gives another stack's parameter; `origin` says where that one comes from when the plan fills it too. */
  | { readonly kind: 'same'; readonly stack: StackId; readonly key: string; readonly origin?: Wire };

/** What the wiring needs of a plan: its choices, names, and the values it knows (some may be missing while the form is edited). */
export type WiringPlan = PlanChoice & Pick<Plan, 'stackNames'> & { readonly params: Readonly<Partial<Record<StackId, Partial<ParamValues>>>> };

/** Where each parameter the plan fills in `meta` comes from, by key, in the order of its parameters. */
export function wiringOf(meta: StackMeta, plan: WiringPlan, metas: readonly StackMeta[]): Record<string, Wire> {
  const filled = new Set(filledKeys(meta, plan, metas));
  const wires: Record<string, Wire> = {};
  for (const spec of meta.parameters) {
    if (!filled.has(spec.key)) continue;
    const wire = wireOf(meta, spec.key, plan, metas, new Set());
    if (wire) wires[spec.key] = wire;
  }
  return wires;
}

function wireOf(meta: StackMeta, key: string, plan: WiringPlan, metas: readonly StackMeta[], seen: Set<string>): Wire | undefined {
  const input = meta.inputs[key];
  const here = `${meta.id}.${key}`;
  if (!input || seen.has(here) || !filledKeys(meta, plan, metas).includes(key)) return undefined;
  seen.add(here);
  if ('stackName' in input) return { kind: 'stack-name', stack: input.stackName };
  if ('output' in input) return { kind: 'output', stack: input.output[0], output: input.output[1] };
  if ('outputBy' in input) {
    const chooser = input.outputBy.key;
    const value = chosenValue(meta, chooser, plan, metas, seen);
    const producer = value === undefined ? undefined : input.outputBy.cases[value];
    return producer && value !== undefined ? { kind: 'output', stack: producer[0], output: producer[1], chosenBy: { key: chooser, value } } : undefined;
  }
  const [stack, ownerKey] = input.sameAs;
  const owner = metas.find((m) => m.id === stack);
  return { kind: 'same', stack, key: ownerKey, origin: owner && wireOf(owner, ownerKey, plan, metas, seen) };
}

/** The value a stack's parameter has in the plan, following `sameAs`; undefined when the plan does not know it yet. */
function chosenValue(meta: StackMeta, key: string, plan: WiringPlan, metas: readonly StackMeta[], seen: Set<string>): string | undefined {
  const input = meta.inputs[key];
  if (input && 'sameAs' in input && filledKeys(meta, plan, metas).includes(key) && !seen.has(`${meta.id}.${key}`)) {
    const owner = metas.find((m) => m.id === input.sameAs[0]);
    return owner && chosenValue(owner, input.sameAs[1], plan, metas, new Set(seen).add(`${meta.id}.${key}`));
  }
  return plan.params[meta.id]?.[key] ?? meta.parameters.find((p) => p.key === key)?.default;
}

/** One line of a plan page section: "from <stack> output <Name>", "same as <stack>'s <label>", "the name of <stack>". */
export function wireText(wire: Wire, plan: Pick<Plan, 'stackNames'>, metas: readonly StackMeta[]): string {
  const meta = (id: StackId) => metas.find((m) => m.id === id);
  const name = (id: StackId) => {
    const m = meta(id);
    return m ? stackNameOf(plan, m) : (plan.stackNames[id] ?? id);
  };
  switch (wire.kind) {
    case 'stack-name':
      return `the name of ${name(wire.stack)}`;
    case 'output':
      return `from ${name(wire.stack)} output ${wire.output}${wire.chosenBy ? ` (as ${wire.chosenBy.key} is ${wire.chosenBy.value})` : ''}`;
    case 'same': {
      const label = meta(wire.stack)?.parameters.find((p) => p.key === wire.key)?.label ?? wire.key;
      const owner = meta(wire.stack)?.title ?? wire.stack;
      return `same as ${owner}: ${label}${wire.origin ? `, ${wireText(wire.origin, plan, metas)}` : ''}`;
    }
  }
}

/** A step of the launch checklist: after `stack` completes, copy its output into each of these parameters. */
export interface CopyStep {
  readonly stack: StackId;
  readonly stackName: string;
  readonly copies: readonly { readonly output: string; readonly parameter: string }[];
}

/**
 * What to copy by hand before launching `meta` from the AWS console: its parameters waiting for an
 * output, grouped by the stack that produces it, in deployment order.
 */
export function copySteps(meta: StackMeta, plan: Plan, metas: readonly StackMeta[]): CopyStep[] {
  const settle = settler(plan, metas);
  const included = includedIn(plan, metas);
  const byStack = new Map<StackId, { output: string; parameter: string }[]>();
  for (const spec of meta.parameters) {
    const settled = settle(meta, spec);
    if (!('pending' in settled) || !included(settled.pending.stack)) continue;
    const list = byStack.get(settled.pending.stack) ?? [];
    list.push({ output: settled.pending.output, parameter: spec.key });
    byStack.set(settled.pending.stack, list);
  }
  return metas
    .filter((m) => byStack.has(m.id))
    .map((m) => ({ stack: m.id, stackName: stackNameOf(plan, m), copies: byStack.get(m.id)! }));
}
