/** Resources complete out of those the run's templates and change sets touch, with the time left. */
export function RunProgressBar({ done, total, failed, eta }: { done: number; total: number; failed: boolean; eta?: string }) {
  const share = total === 0 ? 0 : Math.min(100, (done / total) * 100);
  const text = `${done} of ${total} resources complete${eta ? `, ${eta} left` : ''}`;
  return (
    <div className="grid gap-1">
      <div
        role="progressbar"
        aria-label="Resources complete"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full rounded-full transition-[width] duration-500 ${failed ? 'bg-bad' : 'bg-ok'}`} style={{ width: `${share}%` }} />
      </div>
      <p className="text-xs text-slate-700" aria-hidden="true">
        {text}
      </p>
    </div>
  );
}
