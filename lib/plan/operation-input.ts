// The values a deployer gives for a run (images, task counts, settings, the OTLP endpoint, NoEcho
// values again), checked against the deployment's release line: which stacks and parameters the
// line offers, and each value by its parameter's spec, exactly as the plan form checks it. Issues
// carry the form's field paths, so they land on the fields.
import 'server-only';
import { ActionError } from '@/lib/auth/action-error';
import type { Operation } from '@/lib/deploy/scope';
import { checkValue } from '@/lib/params/check';
import { toFieldSchema } from '@/lib/params/schema';
import { sizeParams } from '@/lib/params/sizes';
import { isIncluded, stackNameOf, type Plan } from '@/lib/params/plan';
import { stackNameProblem } from '@/lib/params/stack-names';
import type { ParamSpec } from '@/lib/params/spec';
import type { ReleaseLine } from '@/templates/line';
import type { StackId } from '@/templates/stack';

export interface InputIssue {
  path: (string | number)[];
  message: string;
}

/** Values per stack and parameter key, as a form posts them. */
type PerStack = Readonly<Record<string, Readonly<Record<string, string | undefined>> | undefined>>;

export interface OperationInput {
  operation:
    | { kind: 'update-images'; images: Readonly<Record<string, string>> }
    | { kind: 'otlp-endpoint'; endpoint: string }
    | { kind: 'update-sizes'; sizes: PerStack }
    | { kind: 'update-settings'; settings: PerStack }
    | { kind: 'add-addon' | 'change-addon'; stack: string; settings: Readonly<Record<string, string | undefined>>; stackName?: string }
    | { kind: 'remove-addon'; stack: string }
    | { kind: 'deploy' | 'grafana-reset' | 'teardown' | 'upgrade-release' };
  secrets?: PerStack;
}

const specOf = (line: ReleaseLine, stack: StackId, key: string): ParamSpec | undefined =>
  line.stacks.find((s) => s.id === stack)?.parameters.find((p) => p.key === key);

/** A value for a parameter, checked by its spec; empty gives none (keeps the deployed one, or clears). */
function valueIssue(spec: ParamSpec, value: string | undefined, path: (string | number)[]): InputIssue[] {
  const problem = value ? checkValue(spec, value) : undefined;
  return problem ? [{ path, message: problem }] : [];
}

/** Values for the parameters `allowed` lists per stack: any other stack or key is unknown. */
function perStackIssues(given: PerStack, allowed: Readonly<Partial<Record<StackId, readonly string[]>>>, line: ReleaseLine, at: string[]): InputIssue[] {
  return Object.entries(given).flatMap(([stack, values]) => {
    const keys = allowed[stack];
    if (!keys) return [{ path: [...at, stack], message: `Unknown stack "${stack}".` }];
    return Object.entries(values ?? {}).flatMap(([key, value]) => {
      const spec = keys.includes(key) ? specOf(line, stack, key) : undefined;
      return spec ? valueIssue(spec, value, [...at, stack, key]) : [{ path: [...at, stack, key], message: `Unknown field "${key}".` }];
    });
  });
}

/** The parameter keys of the line's image update, with the stack holding each. */
export const imageKeys = (line: ReleaseLine): [string, StackId][] => line.operations.images.flatMap(({ stack, keys }) => keys.map((key): [string, StackId] => [key, stack]));

export async function operationIssues(line: ReleaseLine, input: OperationInput): Promise<InputIssue[]> {
  const { operation } = input;
  const issues: InputIssue[] = [];
  switch (operation.kind) {
    case 'update-images': {
      const stacks = new Map(imageKeys(line));
      for (const [key, value] of Object.entries(operation.images)) {
        const stack = stacks.get(key);
        const spec = stack && specOf(line, stack, key);
        if (spec) issues.push(...valueIssue(spec, value, ['operation', 'images', key]));
      }
      break;
    }
    case 'otlp-endpoint': {
      const at = line.operations.otlpEndpoint;
      const spec = at && specOf(line, at.stack, at.parameter);
      if (!spec) issues.push({ path: ['operation', 'kind'], message: 'This deployment has no OTLP endpoint to set.' });
      else issues.push(...valueIssue(spec, operation.endpoint, ['operation', 'endpoint']));
      break;
    }
    case 'update-sizes': {
      const allowed: Partial<Record<StackId, string[]>> = {};
      for (const p of sizeParams(line.stacks)) (allowed[p.stackId] ??= []).push(p.key);
      issues.push(...perStackIssues(operation.sizes, allowed, line, ['operation', 'sizes']));
      break;
    }
    case 'update-settings':
      issues.push(...perStackIssues(operation.settings, line.operations.settings, line, ['operation', 'settings']));
      break;
    case 'add-addon':
    case 'change-addon':
    case 'remove-addon':
      issues.push(...addonIssues(line, operation));
      break;
  }
  // NoEcho values given again: checked as the plan form checks them (constraints, bytes, YAML shape).
  for (const [stack, values] of Object.entries(input.secrets ?? {})) {
    if (!line.stacks.some((s) => s.id === stack)) {
      issues.push({ path: ['secrets', stack], message: `Unknown stack "${stack}".` });
      continue;
    }
    for (const [key, value] of Object.entries(values ?? {})) {
      const spec = specOf(line, stack, key);
      if (!spec?.noEcho) {
        issues.push({ path: ['secrets', stack, key], message: `Unknown field "${key}".` });
        continue;
      }
      if (value === undefined) continue;
      const result = await toFieldSchema(spec).safeParseAsync(value);
      if (!result.success) issues.push(...result.error.issues.map((issue) => ({ path: ['secrets', stack, key], message: issue.message })));
    }
  }
  return issues;
}

/** The line's add-on of this stack, if it has one. */
export const addonOf = (line: Pick<ReleaseLine, 'operations'>, stack: string) => line.operations.addons?.find((a) => a.stack === stack);

/** An add-on operation names one of the line's add-ons, and only its settings, each valid by its spec and its own check. */
function addonIssues(line: ReleaseLine, operation: { stack: string; settings?: Readonly<Record<string, string | undefined>> }): InputIssue[] {
  const addon = addonOf(line, operation.stack);
  if (!addon) return [{ path: ['operation', 'stack'], message: `This deployment's release line has no add-on "${operation.stack}".` }];
  return Object.entries(operation.settings ?? {}).flatMap(([key, value]) => {
    const path = ['operation', 'settings', key];
    const setting = addon.settings.find((s) => s.key === key);
    const spec = setting && specOf(line, addon.stack, key);
    if (!setting || !spec) return [{ path, message: `Unknown field "${key}".` }];
    const problems = valueIssue(spec, value, path);
    if (problems.length === 0 && value && setting.pattern && !setting.pattern.test(value)) problems.push({ path, message: setting.message ?? `${spec.label} is not valid.` });
    return problems;
  });
}

export type AddonInput = { kind: 'add-addon' | 'change-addon'; stack: string; settings: Readonly<Record<string, string>>; stackName?: string } | { kind: 'remove-addon'; stack: string };

/**
 * The add-on operation the deployment can take now (its values already checked by operationIssues):
 * adding one it has is refused, as are changing or removing one it has not (409: the deployment's
 * state says no), and a change that changes nothing.
 */
export function addonOperation(plan: Plan, line: Pick<ReleaseLine, 'operations' | 'stacks'>, input: AddonInput): Operation {
  const addon = addonOf(line, input.stack);
  if (!addon) throw new ActionError(`This deployment's release line has no add-on "${input.stack}".`, 'operation.stack');
  const present = plan.include[addon.stack] === true;
  if (input.kind === 'add-addon' && present) throw new ActionError(`The ${addon.title} is already part of this deployment: change or remove it instead.`, undefined, 409);
  if (input.kind !== 'add-addon' && !present) throw new ActionError(`The ${addon.title} is not part of this deployment: add it first.`, undefined, 409);
  if (input.kind === 'remove-addon') return { kind: 'remove-addon', stack: addon.stack };
  const given = addon.settings.flatMap(({ key }) => (input.settings[key] !== undefined ? [[key, input.settings[key]] as [string, string]] : []));
  if (input.kind === 'add-addon') {
    // its stack's name (the card suggests one in the deployment's pattern): a stack name, and none of the deployment's other stacks'
    const stackName = input.stackName;
    if (stackName !== undefined) {
      const others = line.stacks.filter((m) => m.id !== addon.stack && isIncluded(plan, m)).map((m) => ({ title: m.title, name: stackNameOf(plan, m) }));
      const problem = stackNameProblem(stackName, others);
      if (problem) throw new ActionError(problem, 'operation.stackName');
    }
    return { kind: 'add-addon', stack: addon.stack, settings: Object.fromEntries(given), ...(stackName ? { stackName } : {}) };
  }
  const specs = line.stacks.find((s) => s.id === addon.stack)?.parameters ?? [];
  const deployed = (key: string) => plan.params[addon.stack]?.[key] ?? specs.find((p) => p.key === key)?.default ?? '';
  const changed = given.filter(([key, value]) => value !== deployed(key));
  const first = addon.settings[0];
  if (changed.length === 0) throw new ActionError(`Change at least one setting of the ${addon.title}: these are the deployed ones.`, first && `operation.settings.${first.key}`);
  return { kind: 'change-addon', stack: addon.stack, settings: Object.fromEntries(changed) };
}
