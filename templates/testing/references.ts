// Test helper: resolves every Ref, Fn::GetAtt, Fn::Sub variable, condition name and DependsOn in
// a template, and lists its exports and cross-stack imports by the `${Param}-Name` pattern.
import { PSEUDO_PARAMETERS, type Template } from '@/lib/cfn/template';
import type { Violation } from './schema';

type Visitor = (node: Record<string, unknown>, path: string) => void;

/** Calls `visit` on every object node under `value`, depth first. */
export function walk(value: unknown, path: string, visit: Visitor): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  } else if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    visit(node, path);
    for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`, visit);
  }
}

/** `${Name}` and `${Resource.Attribute}` variables of an Fn::Sub string (`${!Literal}` excluded). */
export const subVariables = (text: string) => [...text.matchAll(/\$\{(?!!)([^}]+)\}/g)].map((m) => m[1] as string);

type Scope = 'resources' | 'conditions' | 'rules';

export function checkReferences(template: Template, attributesOf: (type: string) => string[] | undefined): Violation[] {
  const out: Violation[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = template.Resources;
  const conditions = new Set(Object.keys(template.Conditions ?? {}));

  const checkRef = (name: string, path: string, scope: Scope) => {
    if (parameters.has(name) || (PSEUDO_PARAMETERS as readonly string[]).includes(name)) return;
    if (scope === 'resources' && name in resources) return;
    out.push({ path, message: `Ref to unknown ${scope === 'resources' ? 'parameter or resource' : 'parameter'} ${name}` });
  };
  const checkAttribute = (resource: string, attribute: string, path: string) => {
    const target = resources[resource];
    if (!target) return void out.push({ path, message: `GetAtt of unknown resource ${resource}` });
    const known = attributesOf(target.Type);
    if (known && !known.includes(attribute)) out.push({ path, message: `${target.Type} has no attribute ${attribute}` });
  };
  const checkCondition = (name: string, path: string) => {
    if (!conditions.has(name)) out.push({ path, message: `unknown condition ${name}` });
  };

  const visitor =
    (scope: Scope): Visitor =>
    (node, path) => {
      if (typeof node.Ref === 'string') checkRef(node.Ref, path, scope);
      const getAtt = node['Fn::GetAtt'];
      if (getAtt !== undefined) {
        // Short form "Resource.Attribute" splits at the first dot; attributes may contain dots.
        const [resource, ...attribute] = Array.isArray(getAtt) ? getAtt.map(String) : String(getAtt).split('.');
        if (scope !== 'resources') out.push({ path, message: 'GetAtt is not allowed here' });
        else checkAttribute(resource as string, attribute.join('.'), path);
      }
      const ifArgs = node['Fn::If'];
      if (Array.isArray(ifArgs)) checkCondition(String(ifArgs[0]), path);
      if (scope === 'conditions' && typeof node.Condition === 'string') checkCondition(node.Condition, path);
      const subArgs = node['Fn::Sub'];
      if (subArgs !== undefined) {
        const [text, vars] = Array.isArray(subArgs) ? [String(subArgs[0]), (subArgs[1] ?? {}) as Record<string, unknown>] : [String(subArgs), {}];
        for (const variable of subVariables(text)) {
          if (variable in vars) continue;
          const [resource, ...attribute] = variable.split('.');
          if (attribute.length > 0) checkAttribute(resource as string, attribute.join('.'), `${path}.Fn::Sub`);
          else checkRef(variable, `${path}.Fn::Sub`, scope);
        }
      }
    };

  walk(template.Conditions ?? {}, 'Conditions', visitor('conditions'));
  walk(template.Rules ?? {}, 'Rules', visitor('rules'));
  for (const [id, resource] of Object.entries(resources)) {
    const path = `Resources.${id}`;
    if (resource.Condition) checkCondition(resource.Condition, `${path}.Condition`);
    for (const dependency of [resource.DependsOn ?? []].flat()) {
      if (!(dependency in resources)) out.push({ path: `${path}.DependsOn`, message: `depends on unknown resource ${dependency}` });
    }
    walk(resource.Properties ?? {}, `${path}.Properties`, visitor('resources'));
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition) checkCondition(output.Condition, `Outputs.${id}.Condition`);
    walk(output, `Outputs.${id}`, visitor('resources'));
  }
  return out;
}

/** Output keys exported as `${AWS::StackName}-<key>`; any other export name is a violation. */
export function exportsOf(template: Template): { names: string[]; violations: Violation[] } {
  const names: string[] = [];
  const violations: Violation[] = [];
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    if (!output.Export) continue;
    const name = output.Export.Name as { 'Fn::Sub'?: unknown };
    if (name['Fn::Sub'] === `\${AWS::StackName}-${key}`) names.push(key);
    else violations.push({ path: `Outputs.${key}.Export`, message: `export name is not \${AWS::StackName}-${key}` });
  }
  return { names, violations };
}

export interface Import {
  parameter: string;
  name: string;
  path: string;
}

/** Every Fn::ImportValue, which must read `${<StackNameParameter>}-<Name>`. */
export function importsOf(template: Template): { imports: Import[]; violations: Violation[] } {
  const imports: Import[] = [];
  const violations: Violation[] = [];
  walk({ Resources: template.Resources, Outputs: template.Outputs ?? {} }, '', (node, path) => {
    if (!('Fn::ImportValue' in node)) return;
    const value = node['Fn::ImportValue'] as { 'Fn::Sub'?: unknown };
    const match = typeof value['Fn::Sub'] === 'string' ? /^\$\{([A-Za-z0-9]+)\}-([A-Za-z0-9]+)$/.exec(value['Fn::Sub']) : null;
    if (match) imports.push({ parameter: match[1] as string, name: match[2] as string, path: path.slice(1) });
    else violations.push({ path: path.slice(1), message: `import does not follow \${StackParameter}-Name: ${JSON.stringify(value)}` });
  });
  return { imports, violations };
}
