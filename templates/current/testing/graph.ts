// Test helper: the stack-graph functions over the current line. lib/params/graph is typed for the
// 2025 line's ids until the registry's StackId becomes a string (the release-lines work); the
// functions themselves take any ids.
import { ancestors, reversed, stackGraph } from '@/lib/params/graph';
import { CURRENT_STACKS } from '../index';

export interface LineGraph {
  readonly ids: readonly string[];
  readonly deps: Readonly<Partial<Record<string, readonly string[]>>>;
}

export const lineGraph = (include: (id: string) => boolean = () => true): LineGraph =>
  stackGraph(CURRENT_STACKS as never, include as never) as unknown as LineGraph;
export const teardownGraph = (graph: LineGraph): LineGraph => reversed(graph as never) as unknown as LineGraph;
export const ancestorsOf = (graph: LineGraph, id: string): Set<string> => ancestors(graph as never, id as never) as Set<string>;
