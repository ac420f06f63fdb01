import type { AccessPoints as Points } from '@/lib/deploy/overview';
import { RevealPassword } from './reveal-password';

export function AccessPoints({ points, deploymentId, canReveal }: { points: Points; deploymentId: string; canReveal: boolean }) {
  const rows: [string, React.ReactNode][] = [];
  if (points.grafana) {
    rows.push(['Grafana', <a key="g" className="text-brand-dark underline" href={points.grafana.url} target="_blank" rel="noopener noreferrer">{points.grafana.url}</a>]);
    rows.push(['Grafana user', <code key="u">{points.grafana.user}</code>]);
    rows.push(['Grafana password', canReveal ? <RevealPassword key="p" deploymentId={deploymentId} /> : <span key="p">Deployers can reveal it.</span>]);
  }
  if (points.queryApiUrl) rows.push(['Query API', <code key="q">{points.queryApiUrl}</code>]);
  if (points.bucket)
    rows.push([
      'Upload data to',
      <span key="b">
        bucket <code>{points.bucket.name}</code>, under {points.bucket.prefixes.map((p) => <code key={p} className="mr-1">{p}</code>)}
      </span>,
    ]);
  if (points.collectorEndpoint) rows.push(['OTLP/HTTP collector', <code key="c">{points.collectorEndpoint}</code>]);
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
