// What a stack needs before CloudFormation can take it: its upstream stacks' outputs, its
// template (staged through S3 when large), its nested stacks' templates (published to the staging
// bucket, or read from the plan's mirror) and its parameters.
import 'server-only';
import type { Capability } from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '@/lib/aws/clients';
import { requiredCapabilities } from '@/lib/cfn/capabilities';
import { childFileName, childTemplateBase, withNestedTemplateFormat } from '@/lib/cfn/nested';
import { readTemplate, type Value } from '@/lib/cfn/resolve';
import { toJson } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import type { Plan, PlanStack } from '@/lib/params/plan';
import type { ReleaseLine } from '@/templates/line';
import { renderTemplate, type StackDefinition, type StackId } from '@/templates/stack';
import { describeStack, type StackState } from './cfn';
import { MASKED, resolveParameters, type ResolvedParameters } from './parameters';
import type { ScopedStack } from './scope';
import { stageChildTemplates, templateSource } from './staging';
import type { ChildChanges, ResourceChangeSummary, WiredInput } from './types';

const READY = /^(CREATE|UPDATE|IMPORT)_COMPLETE$|^UPDATE_ROLLBACK_COMPLETE$/;
export const isReadyStatus = (status: string) => READY.test(status);

/** Outputs of the upstream stacks `stack` reads from (each read in its own account), for those that are deployed and settled. */
export async function upstreamOutputs(accessOf: (id: StackId) => { context: AwsContext }, plan: Plan, stack: ScopedStack, known: Partial<Record<StackId, StackState>>) {
  const outputs: Partial<Record<StackId, Record<string, string>>> = {};
  const ids = new Set<StackId>([...stack.stack.meta.needs, ...Object.values(stack.stack.pending).map((p) => p.stack)]);
  let ready = true;
  for (const id of ids) {
    const state = known[id] ?? (await describeStack(accessOf(id).context.cloudFormation, plan.stackNames[id] ?? id));
    if (state && isReadyStatus(state.status)) outputs[id] = state.outputs;
    else ready = false;
  }
  return { outputs, ready };
}

export interface PreparedStack {
  resolved: ResolvedParameters;
  /** Whether the stack has nested stacks (its change sets include theirs). */
  nested: boolean;
  template: { body: string } | { url: string };
  capabilities: Capability[];
  resourceTypes: { logicalId: string; type: string }[];
}

export async function prepareStack(args: {
  context: AwsContext;
  account: string;
  runId: string;
  plan: Plan;
  line: ReleaseLine;
  scoped: ScopedStack;
  existing?: StackState;
  outputs: Partial<Record<StackId, Record<string, string>>>;
  secrets: Record<string, string>;
}): Promise<PreparedStack> {
  const definition = definitionOf(args.line, args.scoped.stack.meta.id);
  // The template carries the plan's values as defaults (never NoEcho ones), like the downloads.
  const rendered = renderTemplate(definition, args.scoped.stack.values);
  const children = await childTemplates(args, definition, rendered);
  // The parameter the children load from is the console's to fill, in every kind of run.
  const scoped = children.parameter ? withValue(args.scoped, children.parameter.key, children.parameter.value) : args.scoped;
  const resolved = resolveParameters({
    stack: scoped.stack,
    upstreamOutputs: args.outputs,
    secrets: args.secrets,
    existingKeys: args.existing ? Object.keys(args.existing.parameters) : undefined,
    overrides: scoped.overrides,
  });
  const template = children.template;
  const body = toJson(template);
  return {
    resolved,
    nested: children.parameter !== undefined,
    template: await templateSource(args.context, args.account, `templates/${args.runId}/${scoped.stack.meta.stem}.json`, body),
    // A child is created with its parent's capabilities: the root's call must acknowledge the children's too.
    capabilities: [...new Set([template, ...children.built].flatMap(requiredCapabilities))],
    resourceTypes: Object.entries(template.Resources).map(([logicalId, r]) => ({ logicalId, type: r.Type })),
  };
}

function withValue(scoped: ScopedStack, key: string, value: string): ScopedStack {
  return {
    stack: { ...scoped.stack, values: { ...scoped.stack.values, [key]: value } },
    ...(scoped.overrides ? { overrides: { ...scoped.overrides, [key]: value } } : {}),
  };
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/**
 * A stack's nested templates for this run: read from the plan's mirror as published there (the
 * root's YAML names), or published now as JSON to the staging bucket (the root retargeted to the
 * JSON files). Returns the root template to send and the parameter its children load from.
 */
async function childTemplates(
  args: { context: AwsContext; account: string; plan: Plan },
  definition: StackDefinition,
  rendered: Template,
): Promise<{ template: Template; built: Template[]; parameter?: { key: string; value: string } }> {
  const metas = definition.children ?? [];
  const base = childTemplateBase(rendered, metas);
  if (!base) return { template: rendered, built: [] };
  const templates = definition.buildChildren?.() ?? {};
  const built = metas.map((meta) => {
    const template = templates[meta.id];
    if (!template) throw new Error(`${definition.id} declares child ${meta.id} but builds no template for it`);
    return template;
  });
  const mirror = args.plan.childTemplatesUrl;
  if (mirror) return { template: rendered, built, parameter: { key: base.parameter, value: `${withSlash(mirror)}${base.folder}` } };
  const files = metas.map((meta, i) => ({ path: childFileName(meta.file, 'json'), body: toJson(built[i]!) }));
  const tree = await stageChildTemplates(args.context, args.account, definition.stem, files);
  return { template: withNestedTemplateFormat(rendered, 'json'), built, parameter: { key: base.parameter, value: `${tree}${base.folder}` } };
}

/** The parameters the plan fills with other stacks' outputs, where from, and the values known so far (NoEcho ones masked). */
export function wiredInputs(stack: PlanStack, plan: Pick<Plan, 'stackNames'>, outputs: Partial<Record<StackId, Record<string, string>>>): WiredInput[] {
  return Object.entries(stack.pending).map(([parameter, from]) => {
    const value = outputs[from.stack]?.[from.output];
    const secret = stack.meta.parameters.find((p) => p.key === parameter)?.noEcho;
    return {
      parameter,
      stackId: from.stack,
      stackName: plan.stackNames[from.stack] ?? from.stack,
      output: from.output,
      ...(value === undefined ? {} : { value: secret && value !== '' ? MASKED : value }),
    };
  });
}

/** The builder of a stack of the line. */
export function definitionOf(line: Pick<ReleaseLine, 'id' | 'stacks'>, id: StackId): StackDefinition {
  const stack = line.stacks.find((s) => s.id === id);
  if (!stack) throw new Error(`No stack with id ${id} in the ${line.id} line`);
  return stack;
}

/**
 * A stack's template as the preview reads it: the plan's values, and the run's secret values (given
 * or generated for it, which the plan does not hold) as their parameters' defaults, so conditions
 * on them are decided as CloudFormation will (a generated certificate creates the certificate
 * child's IAM certificate). The template stays in memory: only resource ids and types leave.
 */
function readableTemplate(line: ReleaseLine, scoped: ScopedStack, secrets: Readonly<Record<string, string>>): Template {
  const template = renderTemplate(definitionOf(line, scoped.stack.meta.id), scoped.stack.values);
  const parameters = Object.fromEntries(
    Object.entries(template.Parameters ?? {}).map(([key, parameter]) => [key, secrets[key] ? { ...parameter, Default: secrets[key] } : parameter]),
  );
  return { ...template, Parameters: parameters };
}

/**
 * What a stack's template adds, for a preview before CloudFormation can evaluate a change set: the
 * resources it would create with the plan's values and the run's secrets (a resource whose
 * condition is false is left out; one whose condition depends on other stacks counts).
 */
export function renderOnly(line: ReleaseLine, scoped: ScopedStack, region: string, secrets: Readonly<Record<string, string>> = {}): ResourceChangeSummary[] {
  return adds(readTemplate(readableTemplate(line, scoped, secrets), region).resources());
}

const adds = (resources: readonly [string, { Type: string }][]): ResourceChangeSummary[] =>
  resources.map(([logicalId, r]) => ({ action: 'Add', logicalId, resourceType: r.Type }));

/** A value as a template parameter's default, when the reader could decide it. */
function asDefault(value: Value | undefined): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.join(',');
  return undefined;
}

/**
 * What a stack's nested stacks' templates add, each under its path, for the same kind of preview:
 * the children the root would create, each with the values the root passes it where the plan
 * decides them (the rest, outputs of other stacks and resources, stay unknown and count).
 */
export function renderChildrenOnly(line: ReleaseLine, scoped: ScopedStack, region: string, secrets: Readonly<Record<string, string>> = {}): ChildChanges[] {
  const definition = definitionOf(line, scoped.stack.meta.id);
  const built = definition.buildChildren?.() ?? {};
  const root = readTemplate(readableTemplate(line, scoped, secrets), region);
  const created = new Map(root.resources());
  return (definition.children ?? []).flatMap((meta) => {
    const template = built[meta.id];
    const resource = created.get(meta.logicalId);
    if (!template || !resource) return [];
    const passed = (resource.Properties?.Parameters ?? {}) as Record<string, Parameters<typeof root.value>[0]>;
    const parameters = Object.fromEntries(
      Object.entries(template.Parameters ?? {}).map(([key, parameter]) => {
        const given = key in passed ? asDefault(root.value(passed[key])) : undefined;
        const { Default: _default, ...rest } = parameter;
        void _default;
        // A value passed but not decided here is unknown, not the child's default.
        return [key, given !== undefined ? { ...rest, Default: given } : key in passed ? rest : parameter];
      }),
    );
    const child = readTemplate({ ...template, Parameters: parameters }, region);
    return [{ path: meta.logicalId, title: meta.title, changes: adds(child.resources()) }];
  });
}

/** Titles from the line's data on the nested stacks' changes (its own children: deeper ones have none). */
export function titled(line: ReleaseLine, stackId: StackId, children: readonly ChildChanges[]): ChildChanges[] {
  const metas = definitionOf(line, stackId).children ?? [];
  return children.map((child) => {
    const title = metas.find((m) => m.logicalId === child.path)?.title;
    return title ? { ...child, title } : child;
  });
}
