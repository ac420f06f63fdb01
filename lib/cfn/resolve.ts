// Reads a rendered template the way CloudFormation would when it creates the stack, as far as the
// template alone can tell: parameters at their defaults, the region, conditions and Fn::If. What
// depends on other stacks or on created resources (imports, GetAtt, Ref to a resource) stays
// UNKNOWN, but lists keep their length. Isomorphic.
import type { Expr, Resource, Template } from './template';

export const UNKNOWN = Symbol('unknown');
const NO_VALUE = Symbol('no value');

export type Value = string | number | boolean | typeof UNKNOWN | readonly Value[] | { readonly [key: string]: Value };
type Maybe = Value | typeof NO_VALUE;

const isList = (type: string) => type.startsWith('List<') || type === 'CommaDelimitedList';

export interface TemplateReader {
  readonly template: Template;
  /** An expression with every intrinsic it can decide replaced by its value. */
  value(expr: Expr | undefined): Value | undefined;
  /** A condition's outcome, UNKNOWN when it depends on something outside the template. */
  condition(name: string): boolean | typeof UNKNOWN;
  /** The resources CloudFormation would create (a resource whose condition is unknown counts). */
  resources(): [string, Resource][];
}

/** `given`: parameter values passed in (a nested stack's, from its parent), over the defaults; UNKNOWN stays unknown. */
export function readTemplate(template: Template, region: string, given: Readonly<Record<string, Value>> = {}): TemplateReader {
  const parameters = new Map<string, Value>();
  for (const [key, parameter] of Object.entries(template.Parameters ?? {})) {
    if (key in given) {
      const passed = given[key]!;
      parameters.set(key, typeof passed === 'string' && isList(parameter.Type) ? passed.split(',').map((item) => item.trim()).filter((item) => item !== '') : passed);
      continue;
    }
    const fallback = parameter.Default;
    if (fallback === undefined) parameters.set(key, UNKNOWN);
    else parameters.set(key, isList(parameter.Type) ? fallback.split(',').map((item) => item.trim()).filter((item) => item !== '') : fallback);
  }
  const conditions = new Map<string, boolean | typeof UNKNOWN>();

  const ref = (name: string): Maybe => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'AWS::Region') return region;
    return parameters.get(name) ?? UNKNOWN;
  };

  const sub = (text: string, vars: Record<string, Expr>): Value => {
    let unknown = false;
    const result = text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      const found = name in vars ? resolve(vars[name] as Expr) : ref(name);
      if (typeof found === 'string' || typeof found === 'number') return String(found);
      unknown = true;
      return '';
    });
    return unknown ? UNKNOWN : result;
  };

  const decide = (expr: Expr): boolean | typeof UNKNOWN => {
    const value = resolve(expr);
    return typeof value === 'boolean' ? value : UNKNOWN;
  };

  function condition(name: string): boolean | typeof UNKNOWN {
    if (!conditions.has(name)) {
      const expr = template.Conditions?.[name];
      conditions.set(name, expr === undefined ? UNKNOWN : decide(expr));
    }
    return conditions.get(name)!;
  }

  function intrinsic(key: string, args: Expr): Maybe {
    const list = Array.isArray(args) ? (args as Expr[]) : [args];
    const all = list.map((item) => resolve(item));
    switch (key) {
      case 'Ref':
        return ref(String(args));
      case 'Condition':
        return condition(String(args));
      case 'Fn::If': {
        const outcome = condition(String(list[0]));
        return outcome === UNKNOWN ? UNKNOWN : resolve(list[outcome ? 1 : 2] as Expr);
      }
      case 'Fn::Equals':
        return all.some((v) => v === UNKNOWN) ? UNKNOWN : JSON.stringify(all[0]) === JSON.stringify(all[1]);
      case 'Fn::Not':
        return typeof all[0] === 'boolean' ? !all[0] : UNKNOWN;
      case 'Fn::And':
        return all.includes(false) ? false : all.every((v) => v === true) ? true : UNKNOWN;
      case 'Fn::Or':
        return all.includes(true) ? true : all.every((v) => v === false) ? false : UNKNOWN;
      case 'Fn::Join': {
        const [delimiter, items] = all;
        return typeof delimiter === 'string' && Array.isArray(items) && items.every((i) => typeof i === 'string' || typeof i === 'number')
          ? items.join(delimiter)
          : UNKNOWN;
      }
      case 'Fn::Split': {
        const [delimiter, text] = all;
        return typeof delimiter === 'string' && typeof text === 'string' ? text.split(delimiter) : UNKNOWN;
      }
      case 'Fn::Select': {
        const [index, items] = all;
        return Array.isArray(items) && (typeof index === 'number' || typeof index === 'string') ? ((items as Value[])[Number(index)] ?? UNKNOWN) : UNKNOWN;
      }
      case 'Fn::Sub':
        return typeof args === 'string' ? sub(args, {}) : sub(String(list[0]), (list[1] ?? {}) as Record<string, Expr>);
      default:
        return UNKNOWN;
    }
  }

  function resolve(expr: Expr): Maybe {
    if (Array.isArray(expr)) return (expr as Expr[]).map(resolve).filter((item): item is Value => item !== NO_VALUE);
    if (typeof expr !== 'object' || expr === null) return expr as Value;
    const entries = Object.entries(expr as Record<string, Expr>);
    const [first] = entries;
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0] === 'Condition' || first[0].startsWith('Fn::'))) return intrinsic(first[0], first[1]);
    return Object.fromEntries(entries.map(([key, child]) => [key, resolve(child)] as const).filter((entry): entry is [string, Value] => entry[1] !== NO_VALUE));
  }

  return {
    template,
    value: (expr) => {
      if (expr === undefined) return undefined;
      const value = resolve(expr);
      return value === NO_VALUE ? undefined : value;
    },
    condition,
    resources: () => Object.entries(template.Resources).filter(([, resource]) => !resource.Condition || condition(resource.Condition) !== false),
  };
}

/** The logical id a `{ Ref: id }` names, when the expression is one. */
export const refTarget = (expr: Expr | undefined): string | undefined =>
  typeof expr === 'object' && expr !== null && !Array.isArray(expr) && typeof (expr as { Ref?: unknown }).Ref === 'string' ? (expr as { Ref: string }).Ref : undefined;
