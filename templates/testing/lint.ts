// Test helpers that encode two checks of AWS's CloudFormation linter (cfn-lint 1.x), which cannot
// be installed here, so the warnings they raised on our templates cannot come back:
// - W6001: an output's Value must not contain Fn::ImportValue (an output of an output);
// - W1030: a Ref to a parameter is resolved to the values cfn-lint tries (its AllowedValues, else
//   its Default; a list parameter's value split on commas) and checked against the property. Like
//   cfn-lint, a value is tried only on Fn::If branches its conditions allow once the parameter has
//   that value. The check covers the id-typed properties our templates pass parameters to.
import { readTemplate } from '@/lib/cfn/resolve';
import type { Expr, Template } from '@/lib/cfn/template';

/** Paths of every Fn::ImportValue inside an output's Value (cfn-lint W6001). */
export function importsInOutputs(template: Template): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${path}.${i}`));
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Fn::ImportValue') found.push(`${path}.${key}`);
      visit(child, `${path}.${key}`);
    }
  };
  for (const [key, output] of Object.entries(template.Outputs ?? {})) visit(output.Value, `Outputs.${key}.Value`);
  return found;
}

/** What an id-typed property's items must look like (the resource schemas' patterns, in short). */
export const ID_PROPERTIES: Readonly<Record<string, RegExp>> = {
  Subnets: /^subnet-[0-9a-f]+$/,
  SubnetIds: /^subnet-[0-9a-f]+$/,
  SubnetId: /^subnet-[0-9a-f]+$/,
  SecurityGroups: /^sg-[0-9a-f]+$/,
  SecurityGroupIds: /^sg-[0-9a-f]+$/,
  VpcId: /^vpc-[0-9a-f]+$/,
};

const isList = (type: string) => type.startsWith('List<') || type === 'CommaDelimitedList';

/** The values cfn-lint tries for a Ref to `name`: its AllowedValues, else its Default. */
function triedValues(template: Template, name: string): (string | string[])[] {
  const parameter = template.Parameters?.[name];
  if (!parameter) return [];
  const values = parameter.AllowedValues ?? (parameter.Default === undefined ? [] : [parameter.Default]);
  return values.map((value) => (isList(parameter.Type) ? value.split(',').map((item) => item.trim()) : value));
}

/** The template with only `name` known (at `value`): conditions on other parameters stay undecided. */
function withOnly(template: Template, name: string, value: string | string[]): Template {
  const parameters = Object.fromEntries(
    Object.entries(template.Parameters ?? {}).map(([key, p]) => {
      const { Default: _default, ...rest } = p;
      void _default;
      return [key, key === name ? { ...rest, Default: Array.isArray(value) ? value.join(',') : value } : rest];
    }),
  );
  return { ...template, Parameters: parameters };
}

interface Branch {
  condition: string;
  taken: boolean;
}

/** Refs to parameters in id-typed properties whose tried values do not fit (cfn-lint W1030). */
export function unresolvableIdRefs(template: Template): string[] {
  const problems: string[] = [];
  const reachable = (name: string, value: string | string[], branches: readonly Branch[]) => {
    const reader = readTemplate(withOnly(template, name, value), 'us-east-1');
    return branches.every((b) => {
      const outcome = reader.condition(b.condition);
      return typeof outcome !== 'boolean' || outcome === b.taken;
    });
  };
  const visit = (node: Expr | undefined, path: string, property: string, branches: readonly Branch[]) => {
    if (Array.isArray(node)) return (node as Expr[]).forEach((item, i) => visit(item, `${path}.${i}`, property, branches));
    if (typeof node !== 'object' || node === null) return;
    const entries = Object.entries(node as Record<string, Expr>);
    const [first] = entries;
    if (entries.length === 1 && first?.[0] === 'Ref' && typeof first[1] === 'string') {
      const pattern = ID_PROPERTIES[property];
      if (!pattern) return;
      for (const value of triedValues(template, first[1])) {
        const items = Array.isArray(value) ? value : [value];
        if (items.every((item) => pattern.test(item)) || !reachable(first[1], value, branches)) continue;
        problems.push(`${path}: Ref ${first[1]} resolves to ${JSON.stringify(value)}, not a valid ${property} value`);
      }
      return;
    }
    if (entries.length === 1 && first?.[0] === 'Fn::If' && Array.isArray(first[1])) {
      const [condition, whenTrue, whenFalse] = first[1] as [string, Expr, Expr];
      visit(whenTrue, `${path}.Fn::If.1`, property, [...branches, { condition, taken: true }]);
      visit(whenFalse, `${path}.Fn::If.2`, property, [...branches, { condition, taken: false }]);
      return;
    }
    for (const [key, child] of entries) visit(child, `${path}.${key}`, key.startsWith('Fn::') ? property : key, branches);
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const outer: Branch[] = resource.Condition ? [{ condition: resource.Condition, taken: true }] : [];
    visit(resource.Properties as Expr | undefined, `Resources.${id}.Properties`, '', outer);
  }
  return problems;
}
