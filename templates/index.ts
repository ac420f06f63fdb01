// The registry of release lines, each with its stacks in deployment order, and lookups by line,
// plan, stack id (within a line) or file stem (stems are unique across lines).
import 'server-only';
import { releaseOf, type Plan } from '@/lib/params/plan';
import { toLineMeta, type LineMeta, type ReleaseLine } from './line';
import { LINE_CURRENT } from './current/line';
import { LINE_2025 } from './line-2025';
import type { LineId, StackDefinition, StackId } from './stack';

/** Every registered line, oldest first. */
export const LINES: readonly ReleaseLine[] = [LINE_2025, LINE_CURRENT];

/** The line new plans start on: the current one once it is registered, else the 2025 one. */
export const DEFAULT_LINE_ID: LineId = LINES.some((l) => l.id === 'current') ? 'current' : '2025';

export const isLineId = (id: unknown): id is LineId => LINES.some((line) => line.id === id);

export function lineById(id: LineId): ReleaseLine {
  const line = LINES.find((l) => l.id === id);
  if (!line) throw new Error(`No release line ${id}`);
  return line;
}

/** The line a plan or deployment is on (one saved without a line is on the 2025 line). */
export const lineOf = (plan: Pick<Plan, 'release'>): ReleaseLine => lineById(releaseOf(plan));

const metas = new Map<LineId, LineMeta>();
/** A line's plain data (stack metas without builders), made once, for client components and the plan schema. */
export function lineMeta(id: LineId): LineMeta {
  let meta = metas.get(id);
  if (!meta) metas.set(id, (meta = toLineMeta(lineById(id))));
  return meta;
}

/** Every line's plain data, the default line first. */
export function lineMetas(): LineMeta[] {
  return [...LINES].sort((a, b) => Number(b.id === DEFAULT_LINE_ID) - Number(a.id === DEFAULT_LINE_ID)).map((line) => lineMeta(line.id));
}

export function stackById(line: LineId, id: StackId): StackDefinition {
  const stack = lineById(line).stacks.find((s) => s.id === id);
  if (!stack) throw new Error(`No stack with id ${id} in the ${line} line`);
  return stack;
}

/** The stack served under a file stem (lakerunner-services) or an alias (lakerunner-ecs-services), and its line. */
export function findStem(stem: string): { line: ReleaseLine; stack: StackDefinition } | undefined {
  for (const line of LINES) {
    const stack = line.stacks.find((s) => s.stem === stem || s.aliases.includes(stem));
    if (stack) return { line, stack };
  }
  return undefined;
}

/** Finds a stack by its file stem (lakerunner-services) or an alias (lakerunner-ecs-services), in any line. */
export const stackByStem = (stem: string): StackDefinition | undefined => findStem(stem)?.stack;

/** Every stack of every line. */
export const allStacks = (): StackDefinition[] => LINES.flatMap((line) => line.stacks);

const STACK_IDS = new Set(allStacks().map((s) => s.id));
/** Whether some line has a stack with this id (input checks before the line is known). */
export const isStackId = (id: string): boolean => STACK_IDS.has(id);
