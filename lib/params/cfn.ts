// Derives a template's Parameters, Rules and AWS::CloudFormation::Interface metadata from specs.
import type { CfnParameter, CfnRule, Expr } from '../cfn/template';
import type { ParamRule, ParamSpec } from './spec';

/** Template Parameters; `defaults` replaces spec defaults (a customized template). */
export function toCfnParameters(specs: readonly ParamSpec[], defaults: Record<string, string> = {}): Record<string, CfnParameter> {
  return Object.fromEntries(
    specs.map((spec) => {
      const value = spec.noEcho ? spec.default : (defaults[spec.key] ?? spec.default);
      const parameter: CfnParameter = {
        Type: spec.type,
        Description: spec.description,
        Default: value,
        AllowedValues: spec.allowedValues ? [...spec.allowedValues] : undefined,
        AllowedPattern: spec.allowedPattern,
        MinLength: spec.minLength,
        MaxLength: spec.maxLength,
        MinValue: spec.minValue,
        MaxValue: spec.maxValue,
        ConstraintDescription: spec.constraintDescription,
        NoEcho: spec.noEcho || undefined,
      };
      return [spec.key, parameter];
    }),
  );
}

/** Ordered groups: each group label with its parameter keys, in order of first use. */
export function groupSpecs(specs: readonly ParamSpec[]): { label: string; specs: ParamSpec[] }[] {
  const groups = new Map<string, ParamSpec[]>();
  for (const spec of specs) groups.set(spec.group, [...(groups.get(spec.group) ?? []), spec]);
  return [...groups].map(([label, members]) => ({ label, specs: members }));
}

export function toInterfaceMetadata(specs: readonly ParamSpec[]) {
  return {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: groupSpecs(specs).map((g) => ({ Label: { default: g.label }, Parameters: g.specs.map((s) => s.key) })),
      ParameterLabels: Object.fromEntries(specs.map((s) => [s.key, { default: s.label }])),
    },
  };
}

/**
 * Template Rules. A "not empty" check must hold for string and list parameters alike, so it
 * asserts that not every member equals "" (Fn::EachMemberEquals accepts both).
 */
export function toCfnRules(rules: readonly ParamRule[], specs: readonly ParamSpec[]): Record<string, CfnRule> {
  const isList = (key: string) => specs.find((s) => s.key === key)?.type.includes('List') ?? false;
  return Object.fromEntries(
    rules.map((rule) => {
      const target: Expr = { Ref: rule.then.key };
      const assert: Expr =
        'notEmpty' in rule.then
          ? isList(rule.then.key)
            ? { 'Fn::Not': [{ 'Fn::EachMemberEquals': [target, ''] }] }
            : { 'Fn::Not': [{ 'Fn::Equals': [target, ''] }] }
          : { 'Fn::Contains': [[...rule.then.oneOf], target] };
      const when: Expr =
        'equals' in rule.when ? { 'Fn::Equals': [{ Ref: rule.when.key }, rule.when.equals] } : { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: rule.when.key }, ''] }] };
      const condition: Expr = rule.unless ? { 'Fn::And': [when, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: rule.unless.key }, rule.unless.equals] }] }] } : when;
      return [rule.id, { RuleCondition: condition, Assertions: [{ Assert: assert, AssertDescription: rule.message }] }];
    }),
  );
}
