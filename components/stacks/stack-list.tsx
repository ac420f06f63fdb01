import Link from 'next/link';
import { isOptional, type StackMeta } from '@/templates/stack';

export function StackList({ stacks }: { stacks: readonly StackMeta[] }) {
  return (
    <ol className="grid gap-3">
      {stacks.map((stack, index) => (
        <li key={stack.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <span className="text-sm font-medium text-slate-500" aria-hidden="true">
              {index + 1}.
            </span>
            <h3 className="text-lg font-semibold">
              <Link href={`/stacks/${stack.stem}`} className="text-brand-dark hover:underline">
                {stack.title}
              </Link>
            </h3>
            <code className="text-sm text-slate-600">{stack.stem}</code>
            {isOptional(stack) ? (
              <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">optional</span>
            ) : (
              <span className="rounded bg-brand-light px-2 py-0.5 text-xs text-brand-dark">required</span>
            )}
          </div>
          <p className="mt-1 text-slate-700">{stack.purpose}</p>
          {stack.after.length > 0 && (
            <p className="mt-1 text-sm text-slate-500">After: {stack.after.map((id) => stacks.find((s) => s.id === id)?.title ?? id).join(', ')}</p>
          )}
        </li>
      ))}
    </ol>
  );
}
