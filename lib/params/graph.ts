// The stack dependency graph, from each stack's `after` edges in the registry: which stacks a
// plan's stacks wait for, which can run side by side, how they layer for drawing, and the critical
// path for given durations. The engine, the pictures, deploy.sh and the checklist all read it.
// Isomorphic and dependency-free: the run page draws with it without loading the plan's schema.
import type { StackId, StackMeta } from '@/templates/stack';

export interface StackGraph {
  /** The graph's stacks in a topological order (for a plan: the registry's order). */
  readonly ids: readonly StackId[];
  /** For each stack, the stacks of the graph that must complete before it starts. */
  readonly deps: Readonly<Partial<Record<StackId, readonly StackId[]>>>;
}

export const depsOf = (graph: StackGraph, id: StackId): readonly StackId[] => graph.deps[id] ?? [];

/**
 * The graph of the stacks `include` keeps. A left-out stack drops out and its own dependencies
 * take its place, so an edge through it still holds (none of ours needs this today, but a new
 * optional stack in the middle would).
 */
export function stackGraph(metas: readonly StackMeta[], include: (id: StackId) => boolean): StackGraph {
  const byId = new Map(metas.map((m) => [m.id, m]));
  const resolve = (id: StackId, seen: Set<StackId>): StackId[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    if (include(id)) return [id];
    return (byId.get(id)?.after ?? []).flatMap((d) => resolve(d, seen));
  };
  const ids = metas.filter((m) => include(m.id)).map((m) => m.id);
  const deps: Partial<Record<StackId, StackId[]>> = {};
  const graph = { ids, deps };
  for (const id of ids) {
    const direct = [...new Set((byId.get(id)?.after ?? []).flatMap((d) => resolve(d, new Set())))];
    // An edge that another edge already implies (through a left-out stack) is left out too.
    deps[id] = direct.filter((d) => !direct.some((other) => other !== d && ancestors(graph, other).has(d)));
  }
  return graph;
}

/** Only `ids`, in the graph's order; edges to stacks outside count as met (they are not part of the run). */
export function subgraph(graph: StackGraph, ids: Iterable<StackId>): StackGraph {
  const keep = new Set(ids);
  const kept = graph.ids.filter((id) => keep.has(id));
  return { ids: kept, deps: Object.fromEntries(kept.map((id) => [id, depsOf(graph, id).filter((d) => keep.has(d))])) };
}

/** The graph a teardown walks: each stack waits for the stacks that depend on it. */
export function reversed(graph: StackGraph): StackGraph {
  const deps: Partial<Record<StackId, StackId[]>> = Object.fromEntries(graph.ids.map((id) => [id, [] as StackId[]]));
  for (const id of graph.ids) for (const d of depsOf(graph, id)) deps[d]?.push(id);
  return { ids: [...graph.ids].reverse(), deps };
}

/**
 * A teardown across accounts: one account after another, the account the deployment reached last
 * first (by where each account's first stack stands in `graph.ids`), each account's stacks
 * backwards. Within an account a stack waits for every stack of that account that depended on it,
 * directly or through another account. An edge between accounts carries no CloudFormation lock (an
 * export cannot cross accounts; such stacks are wired by parameters), so a whole account can go
 * before the one whose stacks it fed. With one account this is `reversed(graph)`.
 */
export function reversedByAccount(graph: StackGraph, accountOf: (id: StackId) => string): StackGraph {
  const order: string[] = [];
  for (const id of graph.ids) if (!order.includes(accountOf(id))) order.push(accountOf(id));
  if (order.length < 2) return reversed(graph);
  order.reverse();
  const back = reversed(graph);
  const ids = order.flatMap((account) => back.ids.filter((id) => accountOf(id) === account));
  const deps: Partial<Record<StackId, StackId[]>> = {};
  let previous: StackId[] = [];
  for (const account of order) {
    const mine = ids.filter((id) => accountOf(id) === account);
    // before: what `id` waits for inside the account (any stack of it that `id`'s deletion must follow)
    const within = Object.fromEntries(mine.map((id) => [id, mine.filter((other) => other !== id && ancestors(back, id).has(other))]));
    for (const id of mine) {
      const direct = within[id]!.filter((d) => !within[id]!.some((other) => other !== d && within[other]!.includes(d)));
      deps[id] = direct.length > 0 ? direct : [...previous];
    }
    // the stacks no other stack of this account waits for: the next account waits for them
    previous = mine.filter((id) => !mine.some((other) => within[other]!.includes(id)));
  }
  return { ids, deps };
}

/** Every stack `id` waits for, directly or not. */
export function ancestors(graph: StackGraph, id: StackId): Set<StackId> {
  const found = new Set<StackId>();
  const visit = (at: StackId) => {
    for (const d of depsOf(graph, at)) {
      if (found.has(d)) continue;
      found.add(d);
      visit(d);
    }
  };
  visit(id);
  return found;
}

/** Stacks that could run at the same time as `id`: neither waits for the other. */
export function sideBySide(graph: StackGraph, id: StackId): StackId[] {
  const before = ancestors(graph, id);
  return graph.ids.filter((other) => other !== id && !before.has(other) && !ancestors(graph, other).has(id));
}

/** For a checklist in dependency order: what each stack waits for, and what could run beside it. */
export function orderNotes(graph: StackGraph): Partial<Record<StackId, { after: StackId[]; alongside: StackId[] }>> {
  return Object.fromEntries(graph.ids.map((id) => [id, { after: [...depsOf(graph, id)], alongside: sideBySide(graph, id) }]));
}

/** Stacks by depth (the longest chain of dependencies before them): the columns of a drawing. */
export function layers(graph: StackGraph): StackId[][] {
  const depth = new Map<StackId, number>();
  for (const id of graph.ids) depth.set(id, Math.max(-1, ...depsOf(graph, id).map((d) => depth.get(d) ?? 0)) + 1);
  const result: StackId[][] = [];
  for (const id of graph.ids) (result[depth.get(id)!] ??= []).push(id);
  return result;
}

/** The longest chain of stacks by duration: the shortest time the whole graph can take. */
export function criticalPath(graph: StackGraph, duration: (id: StackId) => number): { total: number; path: StackId[] } {
  const best = new Map<StackId, { total: number; path: StackId[] }>();
  for (const id of graph.ids) {
    const before = depsOf(graph, id)
      .map((d) => best.get(d))
      .reduce<{ total: number; path: StackId[] } | undefined>((a, b) => (b && (!a || b.total > a.total) ? b : a), undefined);
    best.set(id, { total: (before?.total ?? 0) + duration(id), path: [...(before?.path ?? []), id] });
  }
  return [...best.values()].reduce((a, b) => (b.total > a.total ? b : a), { total: 0, path: [] });
}
