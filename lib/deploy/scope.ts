// Which stacks a run touches, in which order, and what it changes in them. A deploy walks the
// plan's graph; an operation updates a few parameters of a few stacks (which ones, the plan's
// release line says); a teardown walks it back.
import 'server-only';
import { placementOf } from '@/lib/params/accounts';
import { reversedByAccount, stackGraph, type StackGraph } from '@/lib/params/graph';
import { withImageRegistry } from '@/lib/params/images';
import { includedIn, planStacks, type Plan, type PlanStack } from '@/lib/params/plan';
import type { ReleaseLine } from '@/templates/line';
import type { StackId, StackMeta } from '@/templates/stack';
import type { RunKind } from './types';

export type Operation =
  | { kind: 'deploy' }
  /** New images by parameter key; the line says which stack holds each (LineOperations.images). */
  | { kind: 'update-images'; images: Readonly<Record<string, string>> }
  | { kind: 'grafana-reset'; token: string }
  | { kind: 'otlp-endpoint'; endpoint: string }
  | { kind: 'update-sizes'; sizes: Partial<Record<StackId, Record<string, string>>> }
  | { kind: 'update-settings'; settings: Partial<Record<StackId, Record<string, string>>> }
  /** `forceDeleteSecrets`: also force-delete the secrets the stacks keep (LineTeardown.retainedSecrets), chosen explicitly. */
  | { kind: 'teardown'; forceDeleteSecrets?: boolean }
  /**
   * A newer release of the plan's line (its manifest, lib/releases): the parameter values it sets
   * per stack (its images as published, moved under the plan's registry prefix at launch, and its
   * template changes), and the notes the run shows.
   */
  | { kind: 'upgrade-release'; version: string; parameters: Partial<Record<StackId, Record<string, string>>>; notes: readonly string[] }
  /** An add-on of the line (LineOperations.addons): its stack created with the plan's values and these settings. */
  | { kind: 'add-addon'; stack: StackId; settings: Readonly<Record<string, string>>; /** The name its stack takes (else the plan's). */ stackName?: string }
  /** New values of an add-on's settings: an update of its stack only. */
  | { kind: 'change-addon'; stack: StackId; settings: Readonly<Record<string, string>> }
  /** Only the add-on's stack deleted; the deployment stays. */
  | { kind: 'remove-addon'; stack: StackId };

export interface ScopedStack {
  stack: PlanStack;
  /** Day-2 operations: the parameters to change; everything else keeps its previous value. */
  overrides?: Record<string, string>;
  /** The run deletes this stack (a teardown deletes them all, removing an add-on deletes its stack). */
  delete?: true;
}

/** Whether the run deletes the stack `id`, as its scope says. */
export const deletes = (scope: readonly ScopedStack[], id: StackId): boolean => scope.some((s) => s.stack.meta.id === id && s.delete === true);

/**
 * The plan a run works with: the deployment's, except that adding an add-on includes its stack
 * (with the given settings) so that it is planned, wired and created like any stack of the plan.
 */
export function planDuring(plan: Plan, operation: Operation): Plan {
  if (operation.kind !== 'add-addon') return plan;
  const next = structuredClone(plan);
  next.include = { ...next.include, [operation.stack]: true };
  next.params[operation.stack] = { ...next.params[operation.stack], ...operation.settings };
  if (operation.stackName) next.stackNames = { ...next.stackNames, [operation.stack]: operation.stackName };
  return next;
}

/** What scoping a run needs of the plan's line: its stacks and its day-2 operations. */
export type ScopeLine = Pick<ReleaseLine, 'operations'> & { readonly stacks: readonly StackMeta[] };

export function scopeOf(plan: Plan, line: ScopeLine, operation: Operation): ScopedStack[] {
  const stacks = planStacks(planDuring(plan, operation), line.stacks);
  const byId = (id: string) => stacks.filter((s) => s.meta.id === id);
  const setting = (at: { stack: StackId; parameter: string } | undefined, value: string) =>
    at ? byId(at.stack).map((stack) => ({ stack, overrides: { [at.parameter]: value } })) : [];
  switch (operation.kind) {
    case 'deploy':
      return stacks.map((stack) => ({ stack }));
    case 'teardown': {
      // in the order the teardown walks them: account by account, the last one reached first
      const order = operationGraph(plan, line.stacks, stacks.map((s) => s.meta.id), 'teardown').ids;
      return order.flatMap((id) => byId(id)).map((stack) => ({ stack, delete: true as const }));
    }
    case 'add-addon':
      return byId(operation.stack).map((stack) => ({ stack }));
    case 'change-addon':
      return byId(operation.stack).map((stack) => ({ stack, overrides: { ...operation.settings } }));
    case 'remove-addon':
      return byId(operation.stack).map((stack) => ({ stack, delete: true as const }));
    case 'update-images':
      return stacks.flatMap((stack) => {
        const keys = line.operations.images.filter((i) => i.stack === stack.meta.id).flatMap((i) => i.keys);
        const overrides = Object.fromEntries(keys.filter((key) => operation.images[key] !== undefined).map((key) => [key, operation.images[key] as string]));
        return Object.keys(overrides).length > 0 ? [{ stack, overrides }] : [];
      });
    case 'grafana-reset':
      return setting(line.operations.grafanaReset, operation.token);
    case 'otlp-endpoint':
      return setting(line.operations.otlpEndpoint, operation.endpoint);
    case 'update-sizes':
    case 'update-settings':
      return stacks.flatMap((stack) => {
        const overrides = { ...sharedChanges(stack, operation), ...changedParameters(operation)[stack.meta.id] };
        return Object.keys(overrides).length > 0 ? [{ stack, overrides }] : [];
      });
    case 'upgrade-release':
      return stacks.flatMap((stack) => {
        const spec = (key: string) => stack.meta.parameters.find((p) => p.key === key);
        const overrides = Object.fromEntries(
          Object.entries(operation.parameters[stack.meta.id] ?? {}).map(([key, value]) => {
            const at = spec(key);
            return [key, at ? withImageRegistry(plan.imageRegistry, at, value) : value];
          }),
        );
        return Object.keys(overrides).length > 0 ? [{ stack, overrides }] : [];
      });
  }
}

export const kindOf = (operation: Operation): RunKind => operation.kind;

/** A changed value another stack takes as its own (`sameAs`, e.g. one load balancer scheme for two stacks) changes there too. */
function sharedChanges(stack: PlanStack, operation: Operation): Record<string, string> {
  const changed = changedParameters(operation);
  return Object.fromEntries(
    Object.entries(stack.meta.inputs).flatMap(([key, input]) => {
      if (!('sameAs' in input) || key in stack.pending) return [];
      const value = changed[input.sameAs[0]]?.[input.sameAs[1]];
      return value === undefined ? [] : [[key, value]];
    }),
  );
}

/** The parameter values an operation sets, per stack (day-2 operations that take values as given). */
export function changedParameters(operation: Operation): Partial<Record<StackId, Record<string, string>>> {
  if (operation.kind === 'update-sizes') return operation.sizes;
  if (operation.kind === 'update-settings') return operation.settings;
  if (operation.kind === 'upgrade-release') return operation.parameters;
  if (operation.kind === 'change-addon') return { [operation.stack]: { ...operation.settings } };
  return {};
}

/** What an operation changes again once its change is applied (the Grafana reset clears its token). */
export function followUpOf(line: ScopeLine, operation: Operation): Record<string, string> | undefined {
  const reset = line.operations.grafanaReset;
  return operation.kind === 'grafana-reset' && reset ? { [reset.parameter]: '' } : undefined;
}

/**
 * The graph a run of `kind` over `ids` walks: the plan's graph cut to the run's stacks (an image
 * update runs migration before services; services recreated after common wait for it through the
 * migration stack the run leaves out), backwards for a teardown.
 */
export function operationGraph(plan: Plan, metas: readonly StackMeta[], ids: readonly StackId[], kind: RunKind): StackGraph {
  const included = includedIn(plan, metas);
  const graph = stackGraph(metas, (id) => included(id) && ids.includes(id));
  if (kind !== 'teardown') return graph;
  return reversedByAccount(graph, (id) => placementOf(plan, metas.find((m) => m.id === id)));
}

/** The plan after an operation succeeded, so the next deploy keeps what it changed. */
export function planAfter(plan: Plan, line: ScopeLine, operation: Operation): Plan {
  const next = structuredClone(plan);
  const set = (id: StackId, key: string, value: string) => ((next.params[id] ??= {})[key] = value);
  if (operation.kind === 'update-images')
    for (const { stack, keys } of line.operations.images)
      for (const key of keys) {
        const image = operation.images[key];
        if (image !== undefined) set(stack, key, image);
      }
  const endpoint = line.operations.otlpEndpoint;
  if (operation.kind === 'otlp-endpoint' && endpoint) set(endpoint.stack, endpoint.parameter, operation.endpoint);
  for (const [id, values] of Object.entries(changedParameters(operation))) for (const [key, value] of Object.entries(values ?? {})) set(id, key, value);
  if (operation.kind === 'upgrade-release') next.releaseVersion = operation.version;
  if (operation.kind === 'add-addon') return planDuring(plan, operation);
  if (operation.kind === 'remove-addon') next.include = { ...next.include, [operation.stack]: false };
  return next;
}
