// Test helper: the registry of release lines (templates/index.ts) over any lines, for tests that
// need a line the registry does not hold yet — `vi.mock('@/templates', () => registryOf([...]))`.
// The same lookups, the same rules: a plan without a release is on the 2025 line.
import { releaseOf, type Plan } from '@/lib/params/plan';
import { toLineMeta, type LineMeta, type ReleaseLine } from '../line';
import type { LineId, StackDefinition, StackId } from '../stack';

export function registryOf(lines: readonly ReleaseLine[]) {
  const DEFAULT_LINE_ID: LineId = lines.some((l) => l.id === 'current') ? 'current' : '2025';
  const isLineId = (id: unknown): id is LineId => lines.some((line) => line.id === id);
  const lineById = (id: LineId): ReleaseLine => {
    const line = lines.find((l) => l.id === id);
    if (!line) throw new Error(`No release line ${id}`);
    return line;
  };
  const metas = new Map<LineId, LineMeta>();
  const lineMeta = (id: LineId): LineMeta => {
    let meta = metas.get(id);
    if (!meta) metas.set(id, (meta = toLineMeta(lineById(id))));
    return meta;
  };
  const findStem = (stem: string): { line: ReleaseLine; stack: StackDefinition } | undefined => {
    for (const line of lines) {
      const stack = line.stacks.find((s) => s.stem === stem || s.aliases.includes(stem));
      if (stack) return { line, stack };
    }
    return undefined;
  };
  const allStacks = (): StackDefinition[] => lines.flatMap((line) => line.stacks);
  const ids = new Set(allStacks().map((s) => s.id));
  return {
    LINES: lines,
    DEFAULT_LINE_ID,
    isLineId,
    lineById,
    lineOf: (plan: Pick<Plan, 'release'>) => lineById(releaseOf(plan)),
    lineMeta,
    lineMetas: () => [...lines].sort((a, b) => Number(b.id === DEFAULT_LINE_ID) - Number(a.id === DEFAULT_LINE_ID)).map((line) => lineMeta(line.id)),
    stackById: (line: LineId, id: StackId): StackDefinition => {
      const stack = lineById(line).stacks.find((s) => s.id === id);
      if (!stack) throw new Error(`No stack with id ${id} in the ${line} line`);
      return stack;
    },
    findStem,
    stackByStem: (stem: string) => findStem(stem)?.stack,
    allStacks,
    isStackId: (id: string) => ids.has(id),
  } satisfies typeof import('../index');
}
