// Server side of the plan: its schema (each release line's, chosen by the plan's line), request
// parsing, and the customized templates (the user's values as parameter defaults) the downloads are made of.
import 'server-only';
import * as z from 'zod/mini';
import { requiredCapabilities, type Capability } from '@/lib/cfn/capabilities';
import { byteLength, toJson, toYaml } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import type { ExportChange } from '@/lib/params/export-changes';
import { defaultPlan, LEGACY_RELEASE, planStacks, releaseOf, type Plan, type PlanStack } from '@/lib/params/plan';
import { createPlanSchema, UNKNOWN_RELEASE } from '@/lib/params/plan-schema';
import { toFieldErrors, type FieldErrors } from '@/lib/params/schema';
import { isLineId, lineById, lineMeta, lineOf } from '@/templates';
import type { LineMeta, ReleaseLine } from '@/templates/line';
import { renderTemplate, type LineId, type StackDefinition, type StackId } from '@/templates/stack';
import { exportChanges } from './replacements';

/** The stack metas of the plan's line, in deployment order. */
export const stackMetasOf = (plan: Pick<Plan, 'release'>) => lineMeta(releaseOf(plan)).stacks;

const schemas = new Map<LineId, ReturnType<typeof createPlanSchema>>();
/** A line's plan schema, made once. */
export function planSchemaOf(line: LineId) {
  let schema = schemas.get(line);
  if (!schema) schemas.set(line, (schema = createPlanSchema(lineMeta(line))));
  return schema;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The plan schema of every registered line: the plan's `release` picks the line (none is the 2025
 * line), whose schema checks the rest; an unknown release is a field error.
 */
export const planSchema = z.pipe(
  z.unknown(),
  z.transform(async (input, ctx): Promise<Plan> => {
    const release = isObject(input) ? (input.release ?? LEGACY_RELEASE) : LEGACY_RELEASE;
    if (!isLineId(release)) {
      ctx.issues.push({ code: 'custom', path: ['release'], message: UNKNOWN_RELEASE, input });
      return z.NEVER;
    }
    const result = await planSchemaOf(release).safeParseAsync(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.issues.push({ code: 'custom', path: issue.path, message: issue.message, input });
    return z.NEVER;
  }),
);

export type ParsedPlan = { ok: true; plan: Plan } | { ok: false; fieldErrors: FieldErrors };

/** The form's schema plus what only the server can check against the connected account. */
export const serverPlanSchema = planSchema.check(
  z.superRefine<Plan>(async (plan, ctx) => {
    const { checkAgainstAccount } = await import('./account-checks');
    for (const [path, message] of Object.entries(await checkAgainstAccount(plan))) ctx.addIssue({ code: 'custom', path: path.split('.'), message });
  }),
);

/**
 * The plan checked with the form's schema; with `account`, also against what the connected AWS
 * account can tell (see account-checks.ts).
 */
export async function parsePlan(input: unknown, options: { account?: boolean } = {}): Promise<ParsedPlan> {
  const result = await (options.account ? serverPlanSchema : planSchema).safeParseAsync(input);
  return result.success ? { ok: true, plan: result.data } : { ok: false, fieldErrors: toFieldErrors(result.error) };
}

export interface RenderedStack extends PlanStack {
  template: Template;
  capabilities: Capability[];
  /** Its nested stacks' templates, by the logical id of their AWS::CloudFormation::Stack resource. */
  children?: Readonly<Record<string, Template>>;
}

const builtChildren = new WeakMap<StackDefinition, Readonly<Record<string, Template>>>();
/** A stack's children by logical id, built once (they take no plan values: their parent passes them as parameters). */
function childrenOf(definition: StackDefinition): Readonly<Record<string, Template>> | undefined {
  if (!definition.buildChildren || !definition.children) return undefined;
  let built = builtChildren.get(definition);
  if (!built) {
    const byId = definition.buildChildren();
    built = Object.fromEntries(definition.children.flatMap((child) => (byId[child.id] ? [[child.logicalId, byId[child.id]!]] : [])));
    builtChildren.set(definition, built);
  }
  return built;
}

export function renderPlanStack(line: ReleaseLine, stack: PlanStack): RenderedStack {
  const definition = line.stacks.find((s) => s.id === stack.meta.id);
  if (!definition) throw new Error(`No stack with id ${stack.meta.id} in the ${line.id} line`);
  const template = renderTemplate(definition, stack.values);
  const children = childrenOf(definition);
  return { ...stack, template, capabilities: requiredCapabilities(template), ...(children ? { children } : {}) };
}

export const renderPlan = (plan: Plan): RenderedStack[] => {
  const line = lineOf(plan);
  return planStacks(plan, lineMeta(line.id).stacks).map((stack) => renderPlanStack(line, stack));
};

export interface StackInfo {
  capabilities: Capability[];
  yamlBytes: number;
  jsonBytes: number;
  /** Parameter changes of this stack that change exports other stacks import (for the update commands). */
  exportChanges: ExportChange[];
}

const infos = new Map<LineId, Record<StackId, StackInfo>>();
/** Per-stack facts the plan page needs in the browser (capabilities, default sizes) for one line, made once. */
export function stackInfoOf(id: LineId): Record<StackId, StackInfo> {
  let info = infos.get(id);
  if (info) return info;
  const line = lineById(id);
  const changes = exportChanges(line.stacks);
  info = Object.fromEntries(
    line.stacks.map((stack) => {
      const template = renderTemplate(stack);
      return [
        stack.id,
        {
          capabilities: requiredCapabilities(template),
          yamlBytes: byteLength(toYaml(template)),
          jsonBytes: byteLength(toJson(template)),
          exportChanges: changes.filter((c) => c.stackId === stack.id),
        },
      ];
    }),
  );
  infos.set(id, info);
  return info;
}

/** What the plan page's form needs of a line: its plain data and its stacks' facts (sent with the page for the plan's line, fetched for another). */
export interface LoadedLine {
  readonly meta: LineMeta;
  readonly info: Record<StackId, StackInfo>;
  /**
   * The line's default plan as its checks give it back, or null when the default plan does not
   * pass them (the current line's asks for a license): a plan still at its defaults then needs no
   * checks loaded in the browser to know whether it is valid.
   */
  readonly checkedDefault: Plan | null;
}

const checkedDefaults = new Map<LineId, Promise<Plan | null>>();
function checkedDefaultOf(id: LineId): Promise<Plan | null> {
  let checked = checkedDefaults.get(id);
  if (!checked) {
    checked = planSchemaOf(id)
      .safeParseAsync(defaultPlan(lineMeta(id)))
      .then((result) => (result.success ? (result.data as Plan) : null));
    checkedDefaults.set(id, checked);
  }
  return checked;
}

export const loadedLine = async (id: LineId): Promise<LoadedLine> => ({ meta: lineMeta(id), info: stackInfoOf(id), checkedDefault: await checkedDefaultOf(id) });

/**
 * The plan as downloads may carry it: secrets marked keepOutOfDownloads (a license, a password
 * hash) emptied, so whoever runs deploy.sh or the commands gives them there.
 */
export function forDownload(plan: Plan): Plan {
  const copy = structuredClone(plan);
  for (const meta of stackMetasOf(plan))
    for (const spec of meta.parameters) if (spec.keepOutOfDownloads && copy.params[meta.id]?.[spec.key]) copy.params[meta.id]![spec.key] = '';
  return copy;
}
