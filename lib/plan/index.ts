// Server side of the plan: the one schema instance, request parsing, and the customized
// templates (the user's values as parameter defaults) the downloads are made of.
import 'server-only';
import * as z from 'zod/mini';
import { requiredCapabilities, type Capability } from '@/lib/cfn/capabilities';
import { byteLength, toJson, toYaml } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import type { ExportChange } from '@/lib/params/export-changes';
import { planStacks, type Plan, type PlanStack } from '@/lib/params/plan';
import { createPlanSchema } from '@/lib/params/plan-schema';
import { toFieldErrors, type FieldErrors } from '@/lib/params/schema';
import { STACKS, stackById } from '@/templates';
import { renderTemplate, toMeta, type StackId } from '@/templates/stack';
import { exportChanges } from './replacements';

export const STACK_METAS = STACKS.map(toMeta);
export const planSchema = createPlanSchema(STACK_METAS);

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
}

export function renderPlanStack(stack: PlanStack): RenderedStack {
  const template = renderTemplate(stackById(stack.meta.id), stack.values);
  return { ...stack, template, capabilities: requiredCapabilities(template) };
}

export const renderPlan = (plan: Plan): RenderedStack[] => planStacks(plan, STACK_METAS).map(renderPlanStack);

export interface StackInfo {
  capabilities: Capability[];
  yamlBytes: number;
  jsonBytes: number;
  /** Parameter changes of this stack that change exports other stacks import (for the update commands). */
  exportChanges: ExportChange[];
}

/** Per-stack facts the plan page needs in the browser (capabilities, default sizes). */
export function stackInfo(): Record<StackId, StackInfo> {
  const changes = exportChanges();
  return Object.fromEntries(
    STACKS.map((stack) => {
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
  ) as Record<StackId, StackInfo>;
}
