// Which parameter changes change a value another stack imports. A create-only property that
// changes replaces its resource (a new physical id, so a new ARN or DNS name), and an output
// that follows a replaced resource or the parameter itself changes with it; CloudFormation then
// refuses the update half-way ("Cannot update export … as it is in use by …") and rolls back.
// Read from the rendered templates and the resource schemas' create-only properties (the same the
// sandbox replaces by), before anything runs: for the run's shape, the settings form, deploy.sh and
// the CLI update commands. The deploy engine checks the live stacks again in the preview.
import 'server-only';
import types from '@/lib/sandbox/resources/types.json';
import type { Expr, Template } from '@/lib/cfn/template';
import type { ExportChange } from '@/lib/params/export-changes';
import { renderTemplate, type StackDefinition, type StackId } from '@/templates/stack';

const SCHEMAS = (types as { types: Record<string, { properties: Record<string, { replace?: string }> }> }).types;

/** Whether the resource schemas know the type (so its create-only properties are known). */
export const hasSchema = (type: string) => type in SCHEMAS;

/** Properties whose change replaces the resource ("Replacement: True"); a custom resource's ServiceToken. */
export function createOnlyProperties(type: string): string[] {
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return ['ServiceToken'];
  return Object.entries(SCHEMAS[type]?.properties ?? {})
    .filter(([, p]) => p.replace === 'yes')
    .map(([name]) => name);
}


/** Names an expression reads: Refs, GetAtt targets, Sub variables, and conditions (Fn::If, Condition). */
function namesIn(expr: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(expr)) {
    for (const item of expr) namesIn(item, found);
    return found;
  }
  if (typeof expr !== 'object' || expr === null) return found;
  for (const [key, value] of Object.entries(expr)) {
    if (key === 'Ref' && typeof value === 'string') found.add(value);
    else if (key === 'Fn::GetAtt' && Array.isArray(value)) found.add(String(value[0]));
    else if (key === 'Condition' && typeof value === 'string') found.add(`condition:${value}`);
    else if (key === 'Fn::If' && Array.isArray(value)) {
      found.add(`condition:${String(value[0])}`);
      namesIn(value.slice(1), found);
    } else if (key === 'Fn::Sub') {
      const [text, vars] = Array.isArray(value) ? value : [value, {}];
      for (const [, name] of String(text).matchAll(/\$\{([^}!]+)\}/g)) if (!(name! in (vars as object))) found.add(name!.split('.')[0]!);
      namesIn(vars, found);
    } else namesIn(value, found);
  }
  return found;
}

/** Whether `expr` reads one of `changed` (parameters or resources), directly or through a condition. */
function reads(template: Template, expr: unknown, changed: ReadonlySet<string>, seen = new Set<string>()): boolean {
  for (const name of namesIn(expr)) {
    if (!name.startsWith('condition:')) {
      if (changed.has(name)) return true;
      continue;
    }
    const condition = name.slice('condition:'.length);
    if (seen.has(condition)) continue;
    seen.add(condition);
    if (reads(template, template.Conditions?.[condition], changed, seen)) return true;
  }
  return false;
}

/** What changing `parameter` replaces in `template`, and which of its outputs then change. */
export const changesOf = (template: Template, parameter: string) => changesFrom(template, [parameter]);

/**
 * What changing `names` (parameters, or resources a change set replaces) replaces in `template`,
 * and which of its exported outputs then change.
 */
export function changesFrom(template: Template, names: Iterable<string>): { replaced: string[]; outputs: string[] } {
  const changed = new Set(names);
  const replaced: string[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (changed.has(id)) continue;
      const props = (resource.Properties ?? {}) as Record<string, Expr>;
      if (createOnlyProperties(resource.Type).some((name) => name in props && reads(template, props[name], changed))) {
        changed.add(id);
        replaced.push(id);
        grew = true;
      }
    }
  }
  const outputs = Object.entries(template.Outputs ?? {})
    .filter(([, output]) => output.Export && reads(template, output.Value, changed))
    .map(([key]) => key);
  return { replaced, outputs };
}

/** Output keys of `exporter` that `stack` imports (through its stack-name inputs). */
export function importsFrom(stack: StackDefinition, exporter: StackId, template = renderTemplate(stack)): string[] {
  const params = Object.entries(stack.inputs).flatMap(([key, input]) => ('stackName' in input && input.stackName === exporter ? [key] : []));
  const found = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const text = key === 'Fn::ImportValue' ? ((value as { 'Fn::Sub'?: unknown })?.['Fn::Sub'] ?? value) : undefined;
      const match = typeof text === 'string' ? /^\$\{(\w+)\}-(\w+)$/.exec(text) : null;
      if (match && params.includes(match[1]!)) found.add(match[2]!);
      visit(value);
    }
  };
  visit(template.Resources);
  visit(template.Outputs);
  return [...found];
}

/** Every parameter change of every stack of a line that changes an export another stack imports. */
export function exportChanges(stacks: readonly StackDefinition[]): ExportChange[] {
  const rendered = new Map(stacks.map((s) => [s.id, renderTemplate(s)]));
  return stacks.flatMap((stack) =>
    stack.parameters.flatMap((spec): ExportChange[] => {
      const { replaced, outputs } = changesOf(rendered.get(stack.id)!, spec.key);
      if (outputs.length === 0) return [];
      const importers = stacks.filter((other) => importsFrom(other, stack.id, rendered.get(other.id)).some((key) => outputs.includes(key))).map((s) => s.id);
      return importers.length > 0 ? [{ stackId: stack.id, parameter: spec.key, replaced, exports: outputs, importers, recreate: withImporters(importers, stacks) }] : [];
    }),
  );
}

/** The stacks that import anything from `id`: they must go before it can be deleted. */
export function importersOf(id: StackId, stacks: readonly StackDefinition[]): StackId[] {
  return stacks.filter((other) => other.id !== id && importsFrom(other, id).length > 0).map((s) => s.id);
}

/** `direct` and, transitively, every stack importing from them: what must be removed to remove them. */
export function withImporters(direct: readonly StackId[], stacks: readonly StackDefinition[]): StackId[] {
  const found = new Set(direct);
  const queue = [...direct];
  while (queue.length > 0)
    for (const next of importersOf(queue.shift()!, stacks)) {
      if (found.has(next)) continue;
      found.add(next);
      queue.push(next);
    }
  return stacks.map((s) => s.id).filter((id) => found.has(id));
}
