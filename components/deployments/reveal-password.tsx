'use client';

import { useState, useTransition } from 'react';
import { revealGrafanaPassword } from '@/app/deployments/[id]/actions';

/** Fetches a sign-in's password (Grafana's admin on the 2025 line) only when asked; it is never stored or sent otherwise. */
export function RevealPassword({ deploymentId, label }: { deploymentId: string; label?: string }) {
  const [password, setPassword] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [pending, start] = useTransition();
  if (password)
    return (
      <span className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-slate-100 px-2 py-0.5" data-testid="grafana-password">{password}</code>
        <button type="button" className="text-xs text-brand-dark underline" onClick={() => setPassword(undefined)}>
          Hide
        </button>
      </span>
    );
  return (
    <span className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        disabled={pending}
        className="rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-50"
        onClick={() =>
          start(async () => {
            const result = await revealGrafanaPassword({ deploymentId, label });
            if (result.ok) {
              setPassword(result.data.password);
              setProblem(undefined);
            } else setProblem(result.formError ?? 'The password could not be fetched.');
          })
        }
      >
        {pending ? 'Fetching…' : 'Reveal password'}
      </button>
      {problem && <span className="text-sm text-bad" role="alert">{problem}</span>}
    </span>
  );
}
