import { wireText, wiringOf, type WiringPlan } from '@/lib/params/wiring';
import type { LineMeta } from '@/templates/line';
import type { StackMeta } from '@/templates/stack';

/** The parameters of a stack the plan fills itself, each with where its value comes from. */
export function FilledByPlan({ meta, line, plan }: { meta: StackMeta; line: LineMeta; plan: WiringPlan }) {
  const wires = Object.entries(wiringOf(meta, plan, line.stacks));
  if (wires.length === 0) return null;
  return (
    <details className="mt-2 text-sm text-slate-600" data-testid={`filled-${meta.id}`}>
      <summary className="cursor-pointer">Filled in by the plan: {wires.length} parameter{wires.length === 1 ? '' : 's'}</summary>
      <ul className="ml-5 mt-1 list-disc" aria-label={`Parameters of ${meta.stem} the plan fills`}>
        {wires.map(([key, wire]) => (
          <li key={key}>
            <code>{key}</code> {wireText(wire, plan, line.stacks)}
          </li>
        ))}
      </ul>
    </details>
  );
}
