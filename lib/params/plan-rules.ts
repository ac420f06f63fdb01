// Checks across a plan's stacks that a release line declares as data (each stack's own rules live
// with its parameters): an optional stack that needs another, and a value in one stack that needs a
// value in another. The plan schema runs them in the browser and on the server alike. Isomorphic.
import type { StackMeta } from '@/templates/stack';
import { filledKeys, includedIn, type PlanChoice, type Plan, type PlanRule } from './plan';

export interface PlanIssue {
  /** The field the message belongs to, e.g. ['include', 'demo']. */
  path: string[];
  message: string;
}

type RulePlan = PlanChoice & Pick<Plan, 'params'>;

function issueOf(rule: PlanRule, plan: RulePlan, metas: readonly StackMeta[]): PlanIssue | undefined {
  const included = includedIn(plan, metas);
  if (rule.kind === 'toggle-needs')
    return plan.include[rule.toggle] === true && plan.include[rule.needs] !== true ? { path: ['include', rule.toggle], message: rule.message } : undefined;
  const { when, needs } = rule;
  if (!included(when.stack) || plan.params[when.stack]?.[when.key] !== when.equals) return undefined;
  const meta = metas.find((m) => m.id === needs.stack);
  if (!meta || !included(needs.stack) || filledKeys(meta, plan, metas).includes(needs.key)) return undefined;
  return plan.params[needs.stack]?.[needs.key] ? undefined : { path: ['params', when.stack, when.key], message: rule.message };
}

/** The issues of a line's rules with a plan: which stacks go together first, then values across stacks. */
export function planRuleIssues(rules: readonly PlanRule[], plan: RulePlan, metas: readonly StackMeta[]): { choices: PlanIssue[]; values: PlanIssue[] } {
  const found = (kind: PlanRule['kind']) => rules.filter((r) => r.kind === kind).flatMap((rule) => issueOf(rule, plan, metas) ?? []);
  return { choices: found('toggle-needs'), values: found('value-needs') };
}
