'use client';

import { useState, useTransition } from 'react';
import { checkAccess, saveAccess } from '@/app/deployments/[id]/actions';
import { inputClass } from '@/components/ui/field';

export interface AccessIdentity {
  account: string;
  arn: string;
  roleTemplateUrl?: string;
  /** The other accounts the plan puts stacks in, each checked through its own role. */
  others?: { account: string; region: string; arn: string; stacks: string[] }[];
}

interface Props {
  deploymentId: string;
  roleArn?: string;
  /** Whether an ExternalId is stored; its value never leaves the server. */
  hasExternalId: boolean;
  canEdit: boolean;
  onConfirmed: (identity: AccessIdentity | undefined) => void;
}

/** The preflight: which identity and account the console will act as; the user confirms the account. */
export function AccessCheck({ deploymentId, roleArn, hasExternalId, canEdit, onConfirmed }: Props) {
  const [identity, setIdentity] = useState<AccessIdentity | undefined>();
  const [problem, setProblem] = useState<{ message: string; field?: string } | undefined>();
  const [confirmed, setConfirmed] = useState(false);
  const [role, setRole] = useState({ roleArn: roleArn ?? '', externalId: '' });
  const [pending, start] = useTransition();

  const check = () =>
    start(async () => {
      setConfirmed(false);
      onConfirmed(undefined);
      if (canEdit) {
        // An empty ExternalId box keeps the stored one (it is never sent to the browser).
        const saved = await saveAccess({ deploymentId, roleArn: role.roleArn, ...(role.externalId ? { externalId: role.externalId } : {}) });
        if (!saved.ok) {
          const [field, message] = Object.entries(saved.fieldErrors ?? {})[0] ?? [undefined, saved.formError ?? 'Not saved.'];
          return setProblem({ message, field });
        }
      }
      const result = await checkAccess({ deploymentId });
      if (result.ok) {
        setIdentity(result.data);
        setProblem(undefined);
      } else {
        setIdentity(undefined);
        const [field, message] = Object.entries(result.fieldErrors ?? {})[0] ?? [undefined, result.formError ?? 'The check failed.'];
        setProblem({ message, field });
      }
    });

  const invalid = (field: string) => (problem?.field === field ? true : undefined);
  return (
    <section aria-labelledby="access-check-heading" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="access-check-heading" className="text-xl font-semibold">AWS access</h2>
      <div className="grid gap-3 md:grid-cols-2">
        <label className="grid gap-1 text-sm">
          <span className="font-medium">Role to assume (optional)</span>
          <input className={`${inputClass} font-mono`} value={role.roleArn} readOnly={!canEdit} aria-invalid={invalid('roleArn')} placeholder="arn:aws:iam::123456789012:role/LakerunnerDeployRole" onChange={(e) => setRole({ ...role, roleArn: e.target.value })} />
        </label>
        <label className="grid gap-1 text-sm">
          <span className="font-medium">ExternalId</span>
          <input
            className={`${inputClass} font-mono`}
            type="password"
            autoComplete="off"
            value={role.externalId}
            readOnly={!canEdit}
            aria-invalid={invalid('externalId')}
            placeholder={hasExternalId ? 'set — type to replace' : 'none'}
            onChange={(e) => setRole({ ...role, externalId: e.target.value })}
          />
        </label>
      </div>
      <p className="text-xs text-slate-600">
        {canEdit ? 'Leave the role empty to use the console’s own credentials. ' : 'Only admins change the role. '}
        <a className="text-brand-dark underline" href="/api/aws/deploy-role?format=yaml">Download a CloudFormation template for the role</a> (trust policy requires the ExternalId).
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={check} disabled={pending} className="rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark">
          {pending ? 'Checking…' : 'Check access'}
        </button>
        {problem && <p role="alert" className="text-sm text-bad">{problem.message}</p>}
      </div>
      {identity && (
        <div className="rounded border border-green-200 bg-green-50 p-3 text-sm">
          <p>
            The console acts as <code className="break-all">{identity.arn}</code> in account <strong>{identity.account}</strong>.{' '}
            {identity.roleTemplateUrl && (
              <a className="text-brand-dark underline" href={identity.roleTemplateUrl}>
                Download a role template that trusts this identity
              </a>
            )}
          </p>
          {identity.others?.map((other) => (
            <p key={other.account} className="mt-1" data-testid={`access-other-${other.account}`}>
              In account <strong>{other.account}</strong> ({other.region}) it acts as <code className="break-all">{other.arn}</code> for {other.stacks.join(', ')}: the role’s trust lets it in.
            </p>
          ))}
          <label className="mt-2 flex items-center gap-2">
            <input
              type="checkbox"
              checked={confirmed}
              onChange={(e) => {
                setConfirmed(e.target.checked);
                onConfirmed(e.target.checked ? identity : undefined);
              }}
            />
            Deploy to account {identity.account}
            {identity.others?.length ? ` and ${identity.others.map((o) => o.account).join(', ')}` : ''}
          </label>
        </div>
      )}
    </section>
  );
}
