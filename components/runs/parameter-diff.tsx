import Link from 'next/link';
import { PREVIOUS } from '@/lib/deploy/parameters';
import type { Run } from '@/lib/store/runs';

/** The parameter values this run used next to the previous run's (secrets stay masked). */
export function ParameterDiff({ run, previous }: { run: Run; previous?: Run }) {
  const now = run.parameters ?? {};
  const before = previous?.parameters ?? {};
  const rows = [...new Set([...Object.keys(now), ...Object.keys(before)])].flatMap((stackId) => {
    const a = before[stackId as keyof typeof before] ?? {};
    const b = now[stackId as keyof typeof now] ?? {};
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
      // Operations keep most values as they were ("previous value"): those did not change.
      .filter((key) => b[key] !== undefined && b[key] !== PREVIOUS && a[key] !== b[key])
      .map((key) => ({ stackId, key, before: a[key], after: b[key] }));
  });
  return (
    <section aria-labelledby="diff-heading" className="grid gap-2">
      <h2 id="diff-heading" className="text-xl font-semibold">Parameters</h2>
      <p className="text-sm text-slate-700">
        {previous ? <>Compared with the previous run, <Link href={`/runs/${previous.id}`} className="font-mono text-brand-dark underline">{previous.id}</Link>:</> : 'The first run of this deployment: every value is new.'}
      </p>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{Object.keys(now).length === 0 ? 'No parameters were recorded for this run.' : 'No parameter changed.'}</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full min-w-[36rem] text-left text-xs" aria-label="Changed parameters">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-1">Stack</th>
                <th scope="col" className="px-3 py-1">Parameter</th>
                <th scope="col" className="px-3 py-1">Before</th>
                <th scope="col" className="px-3 py-1">This run</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.stackId}.${r.key}`} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-1">{r.stackId}</td>
                  <td className="px-3 py-1 font-mono">{r.key}</td>
                  <td className="max-w-[20rem] break-all px-3 py-1 font-mono text-bad">{r.before ?? '—'}</td>
                  <td className="max-w-[20rem] break-all px-3 py-1 font-mono text-ok">{r.after ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
