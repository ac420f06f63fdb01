// Which stacks a run touches, in which order, and what it changes in them. A deploy walks the
// plan's graph; an operation updates a few parameters of a few stacks; a teardown walks it back.
import 'server-only';
import { reversed, stackGraph, type StackGraph } from '@/lib/params/graph';
import { isIncluded, planStacks, type Plan, type PlanStack } from '@/lib/params/plan';
import type { StackId, StackMeta } from '@/templates/stack';
import type { RunKind } from './types';

export type Operation =
  | { kind: 'deploy' }
  | { kind: 'update-images'; images: Partial<Record<'GoServicesImage' | 'QueryApiImage' | 'QueryWorkerImage' | 'ContainerImage', string>> }
  | { kind: 'grafana-reset'; token: string }
  | { kind: 'otlp-endpoint'; endpoint: string }
  | { kind: 'update-sizes'; sizes: Partial<Record<StackId, Record<string, string>>> }
  | { kind: 'update-settings'; settings: Partial<Record<StackId, Record<string, string>>> }
  | { kind: 'teardown' };

export interface ScopedStack {
  stack: PlanStack;
  /** Day-2 operations: the parameters to change; everything else keeps its previous value. */
  overrides?: Record<string, string>;
}

const IMAGE_KEYS = { migration: ['ContainerImage'], services: ['GoServicesImage', 'QueryApiImage', 'QueryWorkerImage'] } as const;

export function scopeOf(plan: Plan, metas: readonly StackMeta[], operation: Operation): ScopedStack[] {
  const stacks = planStacks(plan, metas);
  const byId = (id: string) => stacks.filter((s) => s.meta.id === id);
  switch (operation.kind) {
    case 'deploy':
      return stacks.map((stack) => ({ stack }));
    case 'teardown':
      return [...stacks].reverse().map((stack) => ({ stack }));
    case 'update-images':
      return (['migration', 'services'] as const).flatMap((id) => {
        const overrides = Object.fromEntries(
          IMAGE_KEYS[id].filter((key) => operation.images[key] !== undefined).map((key) => [key, operation.images[key] as string]),
        );
        return Object.keys(overrides).length > 0 ? byId(id).map((stack) => ({ stack, overrides })) : [];
      });
    case 'grafana-reset':
      return byId('grafana').map((stack) => ({ stack, overrides: { GrafanaResetToken: operation.token } }));
    case 'otlp-endpoint':
      return byId('services').map((stack) => ({ stack, overrides: { OtelEndpoint: operation.endpoint } }));
    case 'update-sizes':
    case 'update-settings':
      return stacks.flatMap((stack) => {
        const overrides = changedParameters(operation)[stack.meta.id];
        return overrides && Object.keys(overrides).length > 0 ? [{ stack, overrides }] : [];
      });
  }
}

export const kindOf = (operation: Operation): RunKind => operation.kind;

/** The parameter values an operation sets, per stack (day-2 operations that take values as given). */
export function changedParameters(operation: Operation): Partial<Record<StackId, Record<string, string>>> {
  if (operation.kind === 'update-sizes') return operation.sizes;
  if (operation.kind === 'update-settings') return operation.settings;
  return {};
}

/**
 * The graph a run of `kind` over `ids` walks: the plan's graph cut to the run's stacks (an image
 * update runs migration before services; services recreated after common wait for it through the
 * migration stack the run leaves out), backwards for a teardown.
 */
export function operationGraph(plan: Plan, metas: readonly StackMeta[], ids: readonly StackId[], kind: RunKind): StackGraph {
  const graph = stackGraph(metas, (id) => isIncluded(plan, id) && ids.includes(id));
  return kind === 'teardown' ? reversed(graph) : graph;
}

/** The plan after an operation succeeded, so the next deploy keeps what it changed. */
export function planAfter(plan: Plan, operation: Operation): Plan {
  const next = structuredClone(plan);
  if (operation.kind === 'update-images') {
    for (const [id, keys] of Object.entries(IMAGE_KEYS) as [keyof typeof IMAGE_KEYS, readonly string[]][])
      for (const key of keys) {
        const image = operation.images[key as keyof typeof operation.images];
        if (image !== undefined) next.params[id][key] = image;
      }
  }
  if (operation.kind === 'otlp-endpoint') next.params.services.OtelEndpoint = operation.endpoint;
  for (const [id, values] of Object.entries(changedParameters(operation))) Object.assign(next.params[id as StackId], values);
  return next;
}
