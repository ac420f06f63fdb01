// Runs whose change CloudFormation would refuse half-way: a replaced resource (or a changed value)
// behind an export other stacks import. Those stacks are deleted first, the change is applied, and
// they are created again — one approved run. Each such stack stays one row of the run, with the
// action `recreate`, whose status reads previewed → in-progress (deleting) → waiting (deleted) →
// in-progress (creating) → complete, so the graph, the counts and the timeline stay true. The
// templates say at prepare time which stacks that is (lib/plan/replacements.ts); the preview checks
// the live stacks again (the change sets' replacements, ListImports) and refuses what the run
// cannot recreate.
import 'server-only';
import { RequestRejectedError } from '@/lib/aws/errors';
import { ancestors, reversed, stackGraph, type StackGraph } from '@/lib/params/graph';
import { includedIn, planStacks, stackNameOf, type Plan } from '@/lib/params/plan';
import { isListType, splitList, type ParamSpec } from '@/lib/params/spec';
import { changesFrom, exportChanges, withImporters } from '@/lib/plan/replacements';
import { runStacks, updateRun } from '@/lib/store/runs';
import { andList } from '@/lib/text';
import type { ReleaseLine } from '@/templates/line';
import { renderTemplate, type StackId, type StackMeta } from '@/templates/stack';
import { importersOf, removals, type StackState } from './cfn';
import { RunStopped, type ExecuteOptions, type RunEnv } from './run-env';
import { note, setStackStatus } from './runtime';
import { runGraph, type ScheduleOutcome } from './schedule';
import { changedParameters, type Operation, type ScopedStack } from './scope';
import { definitionOf, renderOnly } from './stack-inputs';
import type { RunStackView } from './types';

export type Phase = 'remove' | 'apply' | 'create';

/** Why a run recreates stacks: a change of one stack and the exports it changes for the others. */
export interface RecreateReason {
  stackId: StackId;
  /** The parameter that changes, or a description of the change ("its template"). */
  change: string;
  /** Export names whose values change or disappear. */
  exports: string[];
  importers: StackId[];
}

export interface RecreatePlan {
  /** Deleted and created again, in plan order. */
  stacks: StackId[];
  because: RecreateReason[];
}

/** A value as CloudFormation compares it: list items without the spaces around them. */
const normal = (spec: ParamSpec, value: string) => (isListType(spec.type) ? splitList(value).join(',') : value);
/** `ids` in the line's order. */
const ordered = (line: Pick<ReleaseLine, 'stacks'>, ids: Iterable<StackId>) => {
  const set = new Set(ids);
  return line.stacks.map((m) => m.id).filter((id) => set.has(id));
};

/** Prepare time: the stacks an operation's parameter changes force out and back, from the templates. */
export function recreatePlanFor(plan: Plan, line: ReleaseLine, operation: Operation): RecreatePlan {
  const changed = changedParameters(operation);
  const included = includedIn(plan, line.stacks);
  const nameOf = (id: StackId) => stackNameOf(plan, line.stacks.find((s) => s.id === id) ?? { id, stem: id });
  const because = exportChanges(line.stacks)
    .filter((c) => included(c.stackId) && changed[c.stackId]?.[c.parameter] !== undefined && changed[c.stackId]![c.parameter] !== (plan.params[c.stackId]?.[c.parameter] ?? ''))
    .map((c) => ({ stackId: c.stackId, change: c.parameter, exports: c.exports.map((key) => `${nameOf(c.stackId)}-${key}`), importers: c.importers.filter(included) }))
    .filter((c) => c.importers.length > 0);
  return { stacks: withImporters(ordered(line, because.flatMap((c) => c.importers)), line.stacks).filter(included), because };
}

/** The recreated stacks join the run's scope with the plan's values: they are created from the plan. */
export function withRecreated(scope: ScopedStack[], plan: Plan, line: Pick<ReleaseLine, 'stacks'>, recreate: RecreatePlan | undefined): ScopedStack[] {
  if (!recreate?.stacks.length) return scope;
  const extra = planStacks(plan, line.stacks).filter((s) => recreate.stacks.includes(s.meta.id) && !scope.some((x) => x.stack.meta.id === s.meta.id));
  const all = [...scope, ...extra.map((stack) => ({ stack }))];
  return ordered(line, all.map((s) => s.stack.meta.id)).map((id) => all.find((s) => s.stack.meta.id === id)!);
}

/** What a stack loses when it is deleted and created again, as the preview says it. */
export const recreateLosses = (line: Pick<ReleaseLine, 'stacks'>, ids: readonly StackId[]) =>
  line.stacks.filter((s) => ids.includes(s.id) && s.lossOnDelete).map((s) => `${s.stem}: ${s.lossOnDelete}`);

/** The preview of a stack the run recreates: every resource it removes, then every resource its template adds. */
export async function previewRecreate(env: RunEnv, scoped: ScopedStack, state: StackState | undefined): Promise<void> {
  const stack = { stackId: scoped.stack.meta.id, stackName: scoped.stack.stackName };
  if (!state) return setStackStatus(env.run.id, stack, 'unchanged', { action: 'none', statusReason: 'Not deployed, so nothing imports the changed values: it is not removed.' });
  const changes = [...(await removals(env.accessOf(stack.stackId).context.cloudFormation, stack.stackName)), ...renderOnly(env.line, scoped, env.plan.region, env.secrets(stack.stackId))];
  await setStackStatus(env.run.id, stack, 'previewed', { action: 'recreate', changes, fromTemplate: true, arn: state.arn, stackStatus: state.status });
}

/**
 * Preview, after the change sets: the exports each updated stack changes (from its parameters and
 * the resources its change set replaces) or drops, and who imports them now. Importers this run
 * updates are recreated instead; any other importer makes CloudFormation refuse the update half-way,
 * so the run stops here, naming it.
 */
export async function checkExportsInUse(env: RunEnv, known: Partial<Record<StackId, StackState>>): Promise<void> {
  const rows = await runStacks(env.run.id);
  const leaving = new Set(rows.filter((r) => r.action === 'recreate' || r.action === 'delete').map((r) => r.stackName));
  const found: (RecreateReason & { names: string[] })[] = [];
  for (const row of rows.filter((r) => r.status === 'previewed' && r.action === 'update')) {
    const state = known[row.stackId];
    const scoped = env.scope.find((s) => s.stack.meta.id === row.stackId);
    if (!state || !scoped) continue;
    const template = renderTemplate(definitionOf(env.line, row.stackId), scoped.stack.values);
    const wanted: Record<string, string> = { ...scoped.stack.values, ...(scoped.overrides ?? {}) };
    const differs = (p: ParamSpec) => !p.noEcho && p.key in state.parameters && wanted[p.key] !== undefined && normal(p, wanted[p.key]!) !== normal(p, state.parameters[p.key]!);
    const params = scoped.stack.meta.parameters.filter(differs).map((p) => p.key);
    const replaced = (row.changes ?? []).filter((c) => c.replacement === 'True').map((c) => c.logicalId);
    const changing = new Set(changesFrom(template, [...params, ...replaced]).outputs.map((key) => `${row.stackName}-${key}`));
    const kept = new Set(Object.entries(template.Outputs ?? {}).flatMap(([key, o]) => (o.Export ? [`${row.stackName}-${key}`] : [])));
    const exports = state.exports.filter((name) => changing.has(name) || !kept.has(name));
    const names = new Set<string>();
    const inUse: string[] = [];
    for (const name of exports) {
      const importers = (await importersOrNone(env, name)).filter((n) => !leaving.has(n) && n !== row.stackName);
      if (importers.length > 0) inUse.push(name);
      importers.forEach((n) => names.add(n));
    }
    if (names.size > 0)
      found.push({ stackId: row.stackId, change: params.length > 0 ? params.join(', ') : 'its template', exports: inUse, importers: [], names: [...names] });
  }
  if (found.length === 0) return;

  const byName = new Map(rows.map((r) => [r.stackName, r]));
  const byId = new Map(rows.map((r) => [r.stackId, r]));
  const outside = [...new Set(found.flatMap((f) => f.names.filter((n) => !byName.has(n))))];
  if (outside.length > 0) {
    const first = found.find((f) => f.names.some((n) => outside.includes(n)))!;
    throw new RunStopped(
      `CloudFormation would refuse this update of ${byId.get(first.stackId)?.stackName ?? first.stackId} half-way and roll it back: ${andList(first.exports)} change${first.exports.length === 1 ? 's' : ''} (${first.change}), and ${andList(outside)} import${outside.length === 1 ? 's' : ''} ${first.exports.length === 1 ? 'it' : 'them'} ("Cannot update export … as it is in use"). ${outside.length === 1 ? 'That stack is' : 'Those stacks are'} not part of this run, so the console cannot remove and create ${outside.length === 1 ? 'it' : 'them'} again: delete ${outside.length === 1 ? 'it' : 'them'}, or stop ${outside.length === 1 ? 'it' : 'them'} importing ${first.exports.length === 1 ? 'that export' : 'those exports'}, then start again.`,
    );
  }
  // Importers this run updates (a full deploy): recreate them, and what imports from them, instead.
  const direct = found.flatMap((f) => f.names.map((n) => byName.get(n)!.stackId));
  const recreate = withImporters(ordered(env.line, direct), env.line.stacks).filter((id) => rows.some((r) => r.stackId === id));
  for (const id of recreate) {
    const scoped = env.scope.find((s) => s.stack.meta.id === id);
    if (scoped && rows.find((r) => r.stackId === id)?.action !== 'recreate') await previewRecreate(env, scoped, known[id]);
  }
  const request = env.run.request as { recreate?: RecreatePlan };
  const because = found.map(({ names, ...reason }) => ({ ...reason, importers: names.map((n) => byName.get(n)!.stackId) }));
  await updateRun(env.run.id, { request: { ...env.run.request, recreate: { stacks: ordered(env.line, [...(request.recreate?.stacks ?? []), ...recreate]), because: [...(request.recreate?.because ?? []), ...because] } } });
}

/** ListImports' answer; an endpoint that cannot answer it (some emulators) leaves the check to CloudFormation. */
async function importersOrNone(env: RunEnv, exportName: string): Promise<string[]> {
  try {
    return await importersOf(env.context.cloudFormation, exportName);
  } catch (error) {
    if (!(error instanceof RequestRejectedError)) throw error;
    await note(env.run.id, 'warn', `Could not list the stacks importing ${exportName} (${error.message}); CloudFormation checks them itself when it updates.`);
    return [];
  }
}

/** The per-stack steps of execute.ts a recreated stack goes through. */
export interface Steps {
  follow: (env: RunEnv, stack: RunStackView, since: Date, options: ExecuteOptions) => Promise<StackState>;
  fail: (env: RunEnv, stack: RunStackView, state: StackState, since: Date) => Promise<never>;
  succeeded: (env: RunEnv, stack: RunStackView, state: StackState) => Promise<void>;
  applyChangeSet: (env: RunEnv, scoped: ScopedStack, stack: RunStackView, options: ExecuteOptions, attempt: string) => Promise<void>;
  resumeStack: (env: RunEnv, stack: RunStackView, options: ExecuteOptions) => Promise<'done' | 'not-started'>;
  deleteStack: (env: RunEnv, stack: RunStackView, options: ExecuteOptions, retain: string[], then: { waiting: string }) => Promise<void>;
}

/** A recreated stack's part in one phase: deleted in `remove`, created again in `create`. */
export async function recreateStep(env: RunEnv, scoped: ScopedStack, stack: RunStackView, options: ExecuteOptions, phase: Phase, steps: Steps): Promise<void> {
  if (phase === 'remove') {
    if (stack.status === 'waiting') return;
    const changed = (await runStacks(env.run.id)).filter((r) => r.action !== 'recreate' && r.status !== 'unchanged').map((r) => r.stackName);
    const waiting = `Deleted; it is created again once ${changed.length > 0 ? andList(changed) : 'the stacks before it'} ${changed.length === 1 ? 'is' : 'are'} updated.`;
    if (stack.status !== 'in-progress') return steps.deleteStack(env, stack, options, [], { waiting });
    // Picked up after a restart, mid-delete.
    const since = stack.startedAt ? new Date(stack.startedAt) : new Date();
    const state = await steps.follow(env, stack, since, options);
    if (state.status !== 'DELETE_COMPLETE') await steps.fail(env, stack, state, since);
    return setStackStatus(env.run.id, stack, 'waiting', { stackStatus: 'DELETE_COMPLETE', statusReason: waiting });
  }
  if (stack.status === 'in-progress' && (await steps.resumeStack(env, stack, options)) === 'done') return;
  const fresh = (await runStacks(env.run.id)).find((s) => s.stackId === stack.stackId)!;
  await steps.applyChangeSet(env, scoped, fresh, options, 'recreate');
}

/** The phases of a run that recreates stacks, each a graph of its own (through stacks left out). */
export function phasesOf(metas: readonly StackMeta[], rows: readonly RunStackView[]): { phase: Phase; graph: StackGraph }[] {
  const ids = rows.map((r) => r.stackId);
  const recreated = rows.filter((r) => r.action === 'recreate').map((r) => r.stackId);
  const full = stackGraph(metas, (id) => ids.includes(id));
  // A stack the graph puts after a recreated one (it may read from it) waits for it to exist again.
  const later = (id: StackId) => recreated.includes(id) || recreated.some((r) => ancestors(full, id).has(r));
  const within = (keep: (id: StackId) => boolean) => stackGraph(metas, (id) => ids.includes(id) && keep(id));
  return [
    { phase: 'remove', graph: reversed(within((id) => recreated.includes(id))) },
    { phase: 'apply', graph: within((id) => !later(id)) },
    { phase: 'create', graph: within(later) },
  ];
}

/** Runs the phases in turn; a failure in one leaves the later phases unstarted. */
export async function executeInPhases(
  env: RunEnv,
  rows: readonly RunStackView[],
  options: { maxParallel: number; job: (id: StackId, phase: Phase) => Promise<void> },
): Promise<ScheduleOutcome> {
  const phases = phasesOf(env.line.stacks, rows);
  for (const [index, { phase, graph }] of phases.entries()) {
    const now = new Map((await runStacks(env.run.id)).map((s) => [s.stackId, s.status]));
    const done = (id: StackId) => ['complete', 'skipped'].includes(now.get(id) ?? '') || (phase === 'remove' && now.get(id) === 'waiting');
    const outcome = await runGraph(graph, { maxParallel: options.maxParallel, isDone: done, halted: () => env.signal?.aborted ?? false, run: (id) => options.job(id, phase) });
    if (outcome.failures.length > 0 || env.signal?.aborted) {
      const untouched = phases.slice(index + 1).flatMap((p) => p.graph.ids);
      const waiting = new Set((await runStacks(env.run.id)).filter((s) => s.status === 'waiting').map((s) => s.stackId));
      return { failures: outcome.failures, notStarted: [...outcome.notStarted, ...untouched.filter((id) => !waiting.has(id))] };
    }
  }
  return { failures: [], notStarted: [] };
}
