import type { AccessPoint } from '@/templates/line';
import { RevealPassword } from './reveal-password';

/** A deployment's access points, as its release line reads them from the stacks' outputs. */
export function AccessPoints({ points, deploymentId, canReveal }: { points: readonly AccessPoint[]; deploymentId: string; canReveal: boolean }) {
  const rows: [string, React.ReactNode][] = points.flatMap((point): [string, React.ReactNode][] => {
    switch (point.kind) {
      case 'login':
        return [
          [point.label, <a key="l" className="text-brand-dark underline" href={point.url} target="_blank" rel="noopener noreferrer">{point.url}</a>],
          [`${point.label} user`, <code key="u">{point.user}</code>],
          [`${point.label} password`, canReveal ? <RevealPassword key="p" deploymentId={deploymentId} label={point.label} /> : <span key="p">Deployers can reveal it.</span>],
        ];
      case 'link':
        return [[point.label, <a key="l" className="text-brand-dark underline" href={point.url} target="_blank" rel="noopener noreferrer">{point.url}</a>]];
      case 'code':
        return [[point.label, <code key="c">{point.value}</code>]];
      case 'bucket':
        return [
          [
            point.label,
            <span key="b">
              bucket <code>{point.bucket}</code>
              {point.prefixes.length > 0 && <>, under {point.prefixes.map((p) => <code key={p} className="mr-1">{p}</code>)}</>}
            </span>,
          ],
        ];
    }
  });
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="access-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="access-heading" className="mb-2 text-xl font-semibold">Access points</h2>
      <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium text-slate-700">{label}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
