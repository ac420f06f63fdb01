// The root cause of a failed stack, told once: the first failed resource when CloudFormation
// reports resources, else the stack and its reason; and guidance for the failures the console
// recognizes (an import of an export that does not exist names the stack that should export it;
// the release line's hints say what to change for failures it knows, such as an internet-facing
// collector without public subnets on the 2025 line).
import 'server-only';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { PlanStack } from '@/lib/params/plan';
import type { ReleaseLine, RootCauseHint } from '@/templates/line';
import type { ChildMeta, StackId } from '@/templates/stack';
import { describeStack, findRootCause, type StackState } from './cfn';
import type { RootCause } from './types';

const MISSING_EXPORT = /No export named (\S+?) found/;

/** The plan stack (of `line`) whose template exports `exportName` (`<stack name>-<output key>`), and that output. */
export function exporterOf(line: Pick<ReleaseLine, 'stacks'>, stacks: readonly PlanStack[], exportName: string): { stack: PlanStack; output: string } | undefined {
  for (const stack of stacks) {
    if (!exportName.startsWith(`${stack.stackName}-`)) continue;
    const output = exportName.slice(stack.stackName.length + 1);
    if (line.stacks.find((s) => s.id === stack.meta.id)?.build().Outputs?.[output]?.Export) return { stack, output };
  }
  return undefined;
}

/** What to do about an import of a missing export, given who should export it and how that stack is. */
export function missingExportGuidance(exportName: string, exporter: { stackName: string; output: string; state?: Pick<StackState, 'status' | 'outputs'> } | undefined): string {
  if (!exporter)
    return `No stack of this plan exports ${exportName}. Check the plan's stack names: an import reads <stack name>-<output>, so a renamed upstream stack must be renamed here too.`;
  const { stackName, output, state } = exporter;
  if (!state) return `${stackName} exports ${exportName} once it exists, and it does not exist. Deploy it first: resuming the deployment runs it before this stack.`;
  if (!/_COMPLETE$/.test(state.status) || /ROLLBACK|DELETE/.test(state.status))
    return `${stackName} exports ${exportName}, but it is ${state.status}: its exports exist only after a successful create or update. Recover it (see the recovery actions), then resume.`;
  if (!(output in state.outputs))
    return `${stackName} is ${state.status} yet has no ${output} output, so ${exportName} is not exported: it was created from another template, or the CloudFormation endpoint created it without outputs (some emulators do). Update ${stackName} with this console's template, or delete it and resume.`;
  return `${stackName} has the ${output} output but CloudFormation does not list the export ${exportName}. Check that both stacks are in the same account and region.`;
}

/**
 * A stack that failed on an error rather than a failed status: most often a change set
 * CloudFormation refused before any resource changed (status CHANGE_SET_FAILED).
 */
export async function errorCause(
  cf: CloudFormationClient,
  line: Pick<ReleaseLine, 'stacks'>,
  stacks: readonly PlanStack[],
  stack: { stackId: StackId; stackName: string },
  reason: string,
  status = 'CHANGE_SET_FAILED',
): Promise<RootCause> {
  const cause: RootCause = { stackId: stack.stackId, stackName: stack.stackName, status, reason, timestamp: new Date().toISOString() };
  const missing = MISSING_EXPORT.exec(reason)?.[1];
  if (!missing) return cause;
  const exporter = exporterOf(line, stacks, missing);
  const state = exporter ? await describeStack(cf, exporter.stack.stackName).catch(() => undefined) : undefined;
  return {
    ...cause,
    guidance: missingExportGuidance(missing, exporter && { stackName: exporter.stack.stackName, output: exporter.output, state }),
  };
}

/** Guidance for failed resources the line's hints recognize. */
export function resourceGuidance(hints: readonly RootCauseHint[], cause: Pick<RootCause, 'stackId' | 'resourceType' | 'reason'>): string | undefined {
  return hints.find((hint) => hint.stack === cause.stackId && hint.resourceType === cause.resourceType && hint.reason.test(cause.reason))?.guidance;
}

/** The title the stack's line gives a nested stack, by its path (its own children only: deeper ones have none). */
export const childTitle = (children: readonly ChildMeta[] | undefined, path: string) => children?.find((c) => c.logicalId === path)?.title;

/**
 * A stack operation that ended in a failed status: its first failed resource (inside the nested
 * stack that failed, when that is where it was), else the stack's own reason.
 */
export async function failureCause(
  cf: CloudFormationClient,
  hints: readonly RootCauseHint[],
  stack: { stackId: StackId; stackName: string },
  state: StackState,
  since: Date,
  children?: readonly ChildMeta[],
): Promise<RootCause> {
  const found = await findRootCause(cf, stack.stackId, stack.stackName, since).catch(() => undefined);
  const guidance = found && resourceGuidance(hints, found);
  const titled = found?.child ? { ...found, child: { ...found.child, title: childTitle(children, found.child.path) } } : found;
  const first = titled && guidance ? { ...titled, guidance } : titled;
  return (
    first ?? {
      stackId: stack.stackId,
      stackName: stack.stackName,
      status: state.status,
      reason: state.reason || `${stack.stackName} ended in ${state.status}; CloudFormation reported no failed resource.`,
      timestamp: new Date().toISOString(),
    }
  );
}

/** How a cause's nested stack is named: its title and path, and its own stack name. */
export const childLabel = (child: NonNullable<RootCause['child']>) => `${child.title ? `${child.title} (${child.path})` : child.path}, ${child.stackName}`;

/** One sentence for the run's error: the stack, the nested stack and the resource when there are. */
export function describeCause(cause: RootCause): string {
  const inChild = cause.child ? `in nested stack ${childLabel(cause.child)}: ` : '';
  const where = cause.logicalId ? `${cause.logicalId} (${cause.resourceType}) — ` : '';
  return `${cause.stackName} failed: ${inChild}${where}${cause.reason}`;
}
