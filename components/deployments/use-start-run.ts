'use client';

import { useState, useTransition } from 'react';
import { startRun } from '@/app/deployments/[id]/actions';
import type { ActionResult } from '@/lib/auth/action';

export type OperationInput =
  | { kind: 'deploy' }
  | { kind: 'update-images'; images: Partial<Record<'GoServicesImage' | 'QueryApiImage' | 'QueryWorkerImage' | 'ContainerImage', string>> }
  | { kind: 'grafana-reset' }
  | { kind: 'otlp-endpoint'; endpoint: string }
  | { kind: 'update-sizes'; sizes: Partial<Record<string, Record<string, string>>> }
  | { kind: 'update-settings'; settings: Partial<Record<string, Record<string, string>>> }
  | { kind: 'teardown'; confirmName: string; forceDeleteSecrets?: boolean }
  | { kind: 'upgrade-release'; version: string }
  | { kind: 'add-addon'; stack: string; settings: Record<string, string>; stackName?: string }
  | { kind: 'change-addon'; stack: string; settings: Record<string, string> }
  | { kind: 'remove-addon'; stack: string };

interface StartInput {
  deploymentId: string;
  confirmedAccount: string;
  operation: OperationInput;
  secrets?: Partial<Record<string, Record<string, string>>>;
  resumedFrom?: string;
}

/** Starts a run through the server action; it opens the run's page on success, else errors come back. */
export function useStartRun() {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<Extract<ActionResult<unknown>, { ok: false }> | undefined>();
  const run = (input: StartInput) =>
    start(async () => {
      const outcome = await startRun(input);
      setResult(outcome.ok ? undefined : outcome);
    });
  const fieldError = (key: string) => result?.fieldErrors?.[key];
  return { pending, run, formError: result?.formError ?? (result?.fieldErrors ? Object.values(result.fieldErrors)[0] : undefined), fieldError };
}
