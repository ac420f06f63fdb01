// A stack or run status with a colour that says good, busy, bad or idle.
const tone = (status: string) =>
  /FAILED|ROLLBACK|failed|cancelled/.test(status)
    ? 'bg-red-50 text-bad ring-red-200'
    : /IN_PROGRESS|running|preparing|in-progress|awaiting|deploying|tearing/.test(status)
      ? 'bg-amber-50 text-warn ring-amber-200'
      : /COMPLETE|succeeded|complete|deployed/.test(status)
        ? 'bg-green-50 text-ok ring-green-200'
        : 'bg-slate-100 text-slate-700 ring-slate-200';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded px-2 py-0.5 font-mono text-xs ring-1 ${tone(status)}`}>{status}</span>;
}
