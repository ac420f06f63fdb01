'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { approve, cancel } from '@/app/runs/[id]/actions';
import { inputClass } from '@/components/ui/field';

/** Approve or cancel a previewed run; a run that deletes stacks to create them again asks for the deployment's name first. */
export function ApproveControls({ runId, changes, confirmName }: { runId: string; changes: number; confirmName?: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const act = (action: () => ReturnType<typeof approve | typeof cancel>) =>
    start(async () => {
      const result = await action();
      if (result.ok) {
        setProblem(undefined);
        router.refresh();
      } else setProblem(result.formError ?? Object.values(result.fieldErrors ?? {})[0] ?? 'Refused.');
    });
  const confirmed = confirmName === undefined || typed === confirmName;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-brand bg-brand-light p-3">
      {confirmName !== undefined && (
        <label className="grid w-full gap-1 text-sm sm:w-auto">
          <span>This run deletes stacks and creates them again. Type <strong>{confirmName}</strong> to confirm</span>
          <input className={inputClass} value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
        </label>
      )}
      <button
        type="button"
        disabled={pending || changes === 0 || !confirmed}
        onClick={() => act(() => approve({ runId, ...(confirmName !== undefined ? { confirmName: typed } : {}) }))}
        className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60"
      >
        Approve and run
      </button>
      <button type="button" disabled={pending} onClick={() => act(() => cancel({ runId }))} className="rounded border border-slate-400 bg-white px-4 py-2 hover:bg-slate-50">
        Cancel
      </button>
      <span className="text-sm">{changes === 0 ? 'Nothing to change; cancel to release the stacks.' : 'Nothing changes in AWS until you approve.'}</span>
      {problem && <p role="alert" className="w-full text-sm text-bad">{problem}</p>}
    </div>
  );
}
