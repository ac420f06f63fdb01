// What a stack needs before CloudFormation can take it: its upstream stacks' outputs, its
// template (staged through S3 when large) and its parameters.
import 'server-only';
import type { Capability } from '@aws-sdk/client-cloudformation';
import type { AwsContext } from '@/lib/aws/clients';
import { requiredCapabilities } from '@/lib/cfn/capabilities';
import { readTemplate } from '@/lib/cfn/resolve';
import { toJson } from '@/lib/cfn/serialize';
import type { Plan } from '@/lib/params/plan';
import type { ReleaseLine } from '@/templates/line';
import { renderTemplate, type StackDefinition, type StackId } from '@/templates/stack';
import { describeStack, type StackState } from './cfn';
import { resolveParameters, type ResolvedParameters } from './parameters';
import type { ScopedStack } from './scope';
import { templateSource } from './staging';
import type { ResourceChangeSummary } from './types';

const READY = /^(CREATE|UPDATE|IMPORT)_COMPLETE$|^UPDATE_ROLLBACK_COMPLETE$/;
export const isReadyStatus = (status: string) => READY.test(status);

/** Outputs of the upstream stacks `stack` reads from, for those that are deployed and settled. */
export async function upstreamOutputs(context: AwsContext, plan: Plan, stack: ScopedStack, known: Partial<Record<StackId, StackState>>) {
  const outputs: Partial<Record<StackId, Record<string, string>>> = {};
  const ids = new Set<StackId>([...stack.stack.meta.needs, ...Object.values(stack.stack.pending).map((p) => p.stack)]);
  let ready = true;
  for (const id of ids) {
    const state = known[id] ?? (await describeStack(context.cloudFormation, plan.stackNames[id] ?? id));
    if (state && isReadyStatus(state.status)) outputs[id] = state.outputs;
    else ready = false;
  }
  return { outputs, ready };
}

export interface PreparedStack {
  resolved: ResolvedParameters;
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
  const { scoped } = args;
  const resolved = resolveParameters({
    stack: scoped.stack,
    upstreamOutputs: args.outputs,
    secrets: args.secrets,
    existingKeys: args.existing ? Object.keys(args.existing.parameters) : undefined,
    overrides: scoped.overrides,
  });
  // The template carries the plan's values as defaults (never NoEcho ones), like the downloads.
  const template = renderTemplate(definitionOf(args.line, scoped.stack.meta.id), scoped.stack.values);
  const body = toJson(template);
  return {
    resolved,
    template: await templateSource(args.context, args.account, `templates/${args.runId}/${scoped.stack.meta.stem}.json`, body),
    capabilities: requiredCapabilities(template),
    resourceTypes: Object.entries(template.Resources).map(([logicalId, r]) => ({ logicalId, type: r.Type })),
  };
}

/** The builder of a stack of the line. */
export function definitionOf(line: Pick<ReleaseLine, 'id' | 'stacks'>, id: StackId): StackDefinition {
  const stack = line.stacks.find((s) => s.id === id);
  if (!stack) throw new Error(`No stack with id ${id} in the ${line.id} line`);
  return stack;
}

/** What a stack's template adds, for a preview before CloudFormation can evaluate a change set. */
export function renderOnly(line: ReleaseLine, scoped: ScopedStack, region: string): ResourceChangeSummary[] {
  const template = renderTemplate(definitionOf(line, scoped.stack.meta.id), scoped.stack.values);
  // Conditions the plan's values decide (no certificate: no redirect listener) leave their resources
  // out, so the preview counts what CloudFormation will create; those that hang on upstream outputs count.
  return readTemplate(template, region)
    .resources()
    .map(([logicalId, r]) => ({ action: 'Add', logicalId, resourceType: r.Type }));
}
