'use client';

import { useState, useTransition } from 'react';
import { recoverStack } from '@/app/deployments/[id]/actions';
import { SecretFields, type SecretValues } from '@/components/deployments/secret-fields';
import { useStartRun } from '@/components/deployments/use-start-run';
import { PlanEnvironmentProvider } from '@/components/plan/plan-environment';
import type { RootCause } from '@/lib/deploy/types';
import type { SecretField } from '@/lib/plan/secret-fields';
import type { StackId } from '@/templates/stack';

interface Props {
  deploymentId: string;
  account: string;
  runId: string;
  rootCause?: RootCause;
  error?: string;
  /** The stack that stopped the run and its status now. */
  failed?: { stackId: StackId; stackName: string; stackStatus?: string; failedResources: string[] };
  /** The secrets a resume takes again: a stack it creates anew needs them as the first run did. */
  secretFields?: readonly SecretField[];
  /** Against the sandbox, sample values may be offered. */
  sandbox?: boolean;
}

/** What went wrong first, then the way back: recover the stack, then resume the plan. */
export function Recovery({ deploymentId, account, runId, rootCause, error, failed, secretFields = [], sandbox = false }: Props) {
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<string | undefined>();
  const [skip, setSkip] = useState<string[]>([]);
  const [secrets, setSecrets] = useState<SecretValues>({});
  const resume = useStartRun();
  const call = (work: () => Promise<{ ok: boolean; formError?: string; fieldErrors?: Readonly<Record<string, string>> }>) =>
    start(async () => {
      const result = await work();
      if (!result.ok) setProblem(result.formError ?? Object.values(result.fieldErrors ?? {})[0] ?? 'Refused.');
    });
  const needsDelete = failed?.stackStatus && /^(ROLLBACK_COMPLETE|ROLLBACK_FAILED|CREATE_FAILED|DELETE_FAILED)$/.test(failed.stackStatus);
  const needsContinue = failed?.stackStatus === 'UPDATE_ROLLBACK_FAILED';

  return (
    <section aria-labelledby="failure-heading" className="grid gap-3 rounded-lg border border-bad bg-red-50 p-4">
      <h2 id="failure-heading" className="text-xl font-semibold text-bad">What went wrong</h2>
      {rootCause ? (
        <div data-testid="root-cause" className="grid gap-1 text-sm">
          <p>
            {rootCause.logicalId ? (
              <>
                First failure: <code className="font-semibold">{rootCause.logicalId}</code> ({rootCause.resourceType}) in{' '}
                {rootCause.child && (
                  <span data-testid="root-cause-child">
                    nested stack <strong>{rootCause.child.title ?? rootCause.child.path}</strong>
                    {rootCause.child.title && <> (<code>{rootCause.child.path}</code>)</>}, <code>{rootCause.child.stackName}</code>, of{' '}
                  </span>
                )}
                <code>{rootCause.stackName}</code>, {rootCause.status} at {rootCause.timestamp.slice(11, 19)} UTC.
              </>
            ) : (
              <>
                <code className="font-semibold">{rootCause.stackName}</code> failed ({rootCause.status}) at {rootCause.timestamp.slice(11, 19)} UTC
                {rootCause.status === 'CHANGE_SET_FAILED' ? ', before CloudFormation changed any of its resources.' : '.'}
              </>
            )}
          </p>
          <p className="rounded bg-white p-2 font-mono text-xs">{rootCause.reason}</p>
          {rootCause.guidance && <p data-testid="root-cause-guidance">{rootCause.guidance}</p>}
        </div>
      ) : (
        <p className="text-sm">{error}</p>
      )}
      {failed && (
        <div className="grid gap-2 text-sm">
          <h3 className="font-semibold">Recover</h3>
          {needsDelete && (
            <>
              <p><code>{failed.stackName}</code> is {failed.stackStatus}: a failed create cannot be updated. Delete it, then resume to create it again.</p>
              <button type="button" disabled={pending} className="justify-self-start rounded bg-bad px-3 py-1.5 font-medium text-white" onClick={() => call(() => recoverStack({ deploymentId, confirmedAccount: account, stackId: failed.stackId, skipResources: [] }))}>
                Delete {failed.stackName}
              </button>
            </>
          )}
          {needsContinue && (
            <>
              <p><code>{failed.stackName}</code> could not roll back. Continue the rollback; skip resources that cannot be restored (CloudFormation then marks them as rolled back without touching them).</p>
              {failed.failedResources.map((id) => (
                <label key={id} className="flex items-center gap-2">
                  <input type="checkbox" checked={skip.includes(id)} onChange={(e) => setSkip(e.target.checked ? [...skip, id] : skip.filter((s) => s !== id))} />
                  Skip <code>{id}</code>
                </label>
              ))}
              <button type="button" disabled={pending} className="justify-self-start rounded bg-brand px-3 py-1.5 font-medium text-white" onClick={() => call(() => recoverStack({ deploymentId, confirmedAccount: account, stackId: failed.stackId, skipResources: skip }))}>
                Continue the rollback
              </button>
            </>
          )}
          {!needsDelete && !needsContinue && <p>{failed.stackName} is {failed.stackStatus ?? 'in an unknown state'}; nothing to recover before resuming.</p>}
          <h3 className="mt-2 font-semibold">Resume</h3>
          <p>Starts the plan again from the first stack that is not up to date; finished stacks are left as they are.</p>
          {secretFields.length > 0 && (
            <PlanEnvironmentProvider sandbox={sandbox}>
              <p>A stack the resume creates again (a deleted one) needs its secrets again; stacks that exist keep theirs when a field is left empty.</p>
              <SecretFields fields={secretFields} values={secrets} onChange={setSecrets} fieldError={resume.fieldError} />
            </PlanEnvironmentProvider>
          )}
          <button
            type="button"
            disabled={pending || resume.pending}
            className="justify-self-start rounded border border-brand bg-white px-3 py-1.5 font-medium text-brand-dark"
            onClick={() => resume.run({ deploymentId, confirmedAccount: account, operation: { kind: 'deploy' }, secrets, resumedFrom: runId })}
          >
            Resume the deployment
          </button>
          {resume.formError && <p role="alert" className="text-bad">{resume.formError}</p>}
        </div>
      )}
      {problem && <p role="alert" className="text-sm text-bad">{problem}</p>}
    </section>
  );
}
