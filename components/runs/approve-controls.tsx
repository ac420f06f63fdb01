'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { approve, cancel } from '@/app/runs/[id]/actions';

export function ApproveControls({ runId, changes }: { runId: string; changes: number }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<string | undefined>();
  const act = (action: (input: { runId: string }) => ReturnType<typeof approve | typeof cancel>) =>
    start(async () => {
      const result = await action({ runId });
      if (result.ok) {
        setProblem(undefined);
        router.refresh();
      } else setProblem(result.formError ?? Object.values(result.fieldErrors ?? {})[0] ?? 'Refused.');
    });
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-brand bg-brand-light p-3">
      <button type="button" disabled={pending || changes === 0} onClick={() => act(approve)} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60">
        Approve and run
      </button>
      <button type="button" disabled={pending} onClick={() => act(cancel)} className="rounded border border-slate-400 bg-white px-4 py-2 hover:bg-slate-50">
        Cancel
      </button>
      <span className="text-sm">{changes === 0 ? 'Nothing to change; cancel to release the stacks.' : 'Nothing changes in AWS until you approve.'}</span>
      {problem && <p role="alert" className="w-full text-sm text-bad">{problem}</p>}
    </div>
  );
}
