// The name a stack takes when it joins a deployment later (an add-on): the way the deployment
// names its other stacks — the same prefix and suffix around each stack's id or default name —
// so that two deployments in one account and region do not both claim the default name. Pure.
import { checkFormatSync } from './formats';
import type { StackId, StackMeta } from '@/templates/stack';

type Named = { stackNames: Readonly<Record<string, string>> };
type Meta = Pick<StackMeta, 'id' | 'stem'>;

/** How a name is built from a stack: prefix + (its id or its default name) + suffix. */
interface Pattern {
  prefix: string;
  suffix: string;
  token: 'id' | 'stem';
}

function patternsOf(name: string, meta: Meta): Pattern[] {
  return (['stem', 'id'] as const).flatMap((token) => {
    const part = token === 'id' ? meta.id : meta.stem;
    const at = name.lastIndexOf(part);
    return at < 0 ? [] : [{ prefix: name.slice(0, at), suffix: name.slice(at + part.length), token }];
  });
}

const same = (a: Pattern, b: Pattern) => a.prefix === b.prefix && a.suffix === b.suffix && a.token === b.token;

/**
 * The suggested name of stack `id` for a deployment whose `others` stacks have the plan's names:
 * the pattern every one of them follows (the default names when they are the defaults), else the
 * stack's default name. Never one another stack of the plan has.
 */
export function suggestedStackName(plan: Named, metas: readonly Meta[], id: StackId, others: readonly StackId[]): string {
  const meta = metas.find((m) => m.id === id);
  if (!meta) return '';
  const named = others.flatMap((other) => {
    const m = metas.find((x) => x.id === other);
    const name = plan.stackNames[other];
    return m && name ? [{ m, name }] : [];
  });
  const [first, ...rest] = named;
  const shared = first ? patternsOf(first.name, first.m).find((p) => rest.every(({ m, name }) => patternsOf(name, m).some((q) => same(p, q)))) : undefined;
  const taken = new Set(named.map((n) => n.name));
  const candidate = shared ? `${shared.prefix}${shared.token === 'id' ? meta.id : meta.stem}${shared.suffix}` : meta.stem;
  return !taken.has(candidate) && checkFormatSync('stack-name', candidate, 'Stack name') === undefined ? candidate : meta.stem;
}

/** Why `name` cannot be a new stack's name: its format, or one of the deployment's `others` stacks (title and name) has it; undefined when it can. */
export function stackNameProblem(name: string, others: readonly { title: string; name: string }[]): string | undefined {
  const label = 'Stack name';
  if (name === '') return `${label} is required.`;
  const format = checkFormatSync('stack-name', name, label);
  if (format) return format;
  const other = others.find((o) => o.name === name);
  return other ? `Stack name ${name} is already used by the ${other.title} stack.` : undefined;
}
