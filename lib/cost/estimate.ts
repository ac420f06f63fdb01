// The monthly cost estimate of a plan, read from its rendered templates (the objects the console
// serializes, so a template change changes the estimate): a line item per charge of every
// resource, or $0 with the reason; subtotals per stack; the total split into fixed (runs whether
// or not data flows) and usage-driven; and the assumptions in words. Pure and isomorphic.
import { NESTED_STACK_TYPE } from '@/lib/cfn/nested';
import type { Template } from '@/lib/cfn/template';
import type { UsageAssumptions } from '@/lib/params/usage';
import type { StackId } from '@/templates/stack';
import { runningServices } from './fargate';
import { assumptionWords, HOURS_PER_MONTH, num, THUMB, usageFrom, type Charge, type PlanUsage, type Rule, type RuleOutcome } from './model';
import { findPrice, PRICE_TABLE, unitOf, type PriceKey, type PriceTable } from './prices';
import { RULES, tasksByLogGroup } from './rules';
import { fargateCharges } from './rules/compute';
import { templateUnits, type TemplateUnit } from './units';

export interface EstimateStack {
  id: StackId;
  name: string;
  title: string;
  template: Template;
  /** The templates of its nested stacks, by the logical id of their AWS::CloudFormation::Stack resource. */
  children?: Readonly<Record<string, Template>>;
}

export interface EstimateInput {
  stacks: readonly EstimateStack[];
  region: string;
  usage: UsageAssumptions;
  /** Rules of the plan's release line for resource types the generic rules do not price. */
  rules?: Readonly<Record<string, Rule>>;
}

export interface LineItem {
  stackId: StackId;
  logicalId: string;
  resourceType: string;
  /** What is counted, in words. */
  counted: string;
  quantity: number;
  unit: string;
  /** USD per unit. */
  unitPrice: number;
  /** USD per month: quantity × unit price. */
  monthly: number;
  /** `ceiling`: what an autoscaled service adds at its ceiling, outside the monthly total. */
  kind: 'fixed' | 'usage' | 'ceiling' | 'free';
  price?: { key: PriceKey; source: string; date: string; approximate: boolean; from: string };
  /** Why a resource costs nothing, or why it could not be priced. */
  note?: string;
  unpriced?: boolean;
}

export interface Split {
  monthly: number;
  /** Runs whether or not data flows. */
  fixed: number;
  usageDriven: number;
}

export interface StackEstimate extends Split {
  id: StackId;
  name: string;
  title: string;
  lines: LineItem[];
}

export interface Estimate extends Split {
  /** What the autoscaled services add a month when they all run at their ceiling (not in the total). */
  ceiling: number;
  region: string;
  usage: UsageAssumptions;
  stacks: StackEstimate[];
  assumptions: string[];
  /** Some figure used is approximate (see each line's price). */
  approximate: boolean;
  /** Resources that could not be priced, as "stack: LogicalId (Type): reason". */
  unpriced: string[];
  prices: { generatedAt: string; from: string };
}

function split(lines: readonly LineItem[]): Split {
  const sum = (kind: LineItem['kind']) => lines.filter((l) => l.kind === kind).reduce((total, l) => total + l.monthly, 0);
  const fixed = sum('fixed');
  const usageDriven = sum('usage');
  return { monthly: fixed + usageDriven, fixed, usageDriven };
}

function priced(base: Omit<LineItem, 'counted' | 'quantity' | 'unit' | 'unitPrice' | 'monthly' | 'kind'>, charge: Charge, region: string, prices: PriceTable): LineItem {
  const found = findPrice(prices, region, charge.price);
  const line = { ...base, counted: charge.counted, quantity: charge.quantity, unit: unitOf(charge.price), kind: charge.kind };
  if (!found) return { ...line, unitPrice: 0, monthly: 0, unpriced: true, note: `No price for ${charge.price} in ${region}.` };
  const { key, source, date, approximate, from } = found;
  return { ...line, unitPrice: found.usd, monthly: charge.quantity * found.usd, price: { key, source, date, approximate, from } };
}

/** A template the estimate reads: a stack's own, or one of its nested stacks'. */
interface Unit extends TemplateUnit {
  stack: EstimateStack;
  logs: Map<string, number>;
}

const unitsOf = (stack: EstimateStack, region: string): Unit[] =>
  templateUnits(stack.template, stack.children, region).map((unit) => ({ ...unit, stack, logs: tasksByLogGroup(unit.reader) }));

const NESTED_FREE = 'A nested stack costs nothing itself; its resources are priced on the lines after it.';

export function estimate(input: EstimateInput, prices: PriceTable = PRICE_TABLE): Estimate {
  const usage = usageFrom(input.usage);
  const rules = input.rules ? { ...RULES, ...input.rules } : RULES;
  const read = input.stacks.map((stack) => ({ stack, units: unitsOf(stack, input.region) }));
  const units = read.flatMap((r) => r.units);
  const plan: PlanUsage = {
    runningTasks: units.reduce((total, { reader }) => total + runningServices(reader).reduce((sum, s) => sum + s.count, 0), 0),
    logGbPerMonth: units.reduce((total, { logs }) => total + [...logs.values()].reduce((sum, tasks) => sum + tasks, 0), 0) * THUMB.logGbPerTaskMonth,
  };

  const stacks = read.map(({ stack, units: own }): StackEstimate => {
    const lines = own.flatMap(({ reader, logs, prefix }) =>
      reader.resources().flatMap(([logicalId, resource]): LineItem[] => {
        const base = { stackId: stack.id, logicalId: `${prefix}${logicalId}`, resourceType: resource.Type };
        const rule = resource.Type === NESTED_STACK_TYPE && stack.children?.[logicalId] ? { free: NESTED_FREE } : rules[resource.Type];
        const fargateTasks = (service: string, tasks: number, kind: Charge['kind']) => {
          const found = runningServices(reader).find((s) => s.logicalId === service);
          return found && fargateCharges(found.size, tasks * HOURS_PER_MONTH, `${num(tasks, 0)} task${tasks === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h`, kind);
        };
        const outcome: RuleOutcome = !rule
          ? { unpriced: `No pricing rule for ${resource.Type}.` }
          : 'free' in rule
            ? { free: rule.free }
            : rule.charges({ stackId: stack.id, logicalId, resource, reader, usage, plan, tasksByLogGroup: logs, fargateTasks });
        if (Array.isArray(outcome)) return outcome.map((charge) => priced(base, charge, input.region, prices));
        const zero = { ...base, quantity: 1, unit: 'resource', unitPrice: 0, monthly: 0 };
        if ('free' in outcome) return [{ ...zero, counted: 'No charge', kind: 'free', note: outcome.free }];
        if ('usageDriven' in outcome) return [{ ...zero, counted: 'Usage-driven, not estimated', kind: 'usage', note: outcome.usageDriven }];
        return [{ ...zero, counted: 'Not priced', kind: 'fixed', note: outcome.unpriced, unpriced: true }];
      }),
    );
    return { id: stack.id, name: stack.name, title: stack.title, lines, ...split(lines) };
  });

  const lines = stacks.flatMap((s) => s.lines);
  return {
    region: input.region,
    usage: input.usage,
    stacks,
    ...split(lines),
    ceiling: lines.filter((l) => l.kind === 'ceiling').reduce((total, l) => total + l.monthly, 0),
    assumptions: assumptionWords(usage),
    approximate: lines.some((l) => l.price?.approximate),
    unpriced: lines.filter((l) => l.unpriced).map((l) => `${stacks.find((s) => s.id === l.stackId)?.name}: ${l.logicalId} (${l.resourceType}): ${l.note}`),
    prices: { generatedAt: prices.generated.at, from: prices.generated.from },
  };
}
