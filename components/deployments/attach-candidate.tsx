'use client';
// One discovered deployment: its stacks, what looks odd, and "Attach as <name>".
import Link from 'next/link';
import { useActionState, useId, useState } from 'react';
import { attachStacksAction, type AttachCandidate } from '@/app/deployments/attach/actions';
import { FormAlert } from '@/components/auth/form-alert';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { AttachStackTable } from './attach-stack-table';

export function AttachCandidateCard({ candidate, region }: { candidate: AttachCandidate; region: string }) {
  const [state, action, pending] = useActionState(attachStacksAction, null);
  const [name, setName] = useState(candidate.suggestedName);
  const key = useId().replace(/[^A-Za-z0-9]/g, '');
  const headingId = `${key}-heading`;
  const nameField = `${key}-name`;
  const error = state && !state.ok ? state.fieldErrors?.name : undefined;
  const network = candidate.network === 'new' ? 'its own VPC stack' : 'an existing VPC';
  const optional = candidate.optional.join(', ');

  return (
    <section aria-labelledby={headingId} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id={headingId} className="text-lg font-semibold">
        {candidate.suggestedName}
      </h2>
      <p className="text-sm text-slate-700">
        Uses {network}
        {optional ? `; optional stacks: ${optional}` : '; no optional stacks'}.
      </p>
      <AttachStackTable stacks={candidate.stacks} />
      {candidate.warnings.length > 0 && (
        <div className="rounded border border-warn bg-amber-50 px-3 py-2 text-sm">
          <h3 className="font-medium">Check before attaching</h3>
          <ul className="mt-1 list-disc pl-5">
            {candidate.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      {candidate.secretsKept.length > 0 && (
        <p className="text-sm text-slate-600">
          Secret values AWS does not reveal stay as deployed; updates keep them unless you enter new ones: {candidate.secretsKept.join(', ')}.
        </p>
      )}
      {candidate.attachedAs ? (
        <p className="text-sm">
          Attached already as{' '}
          <Link href={`/deployments/${candidate.attachedAs.id}`} className="font-medium text-brand-dark underline">
            {candidate.attachedAs.name}
          </Link>
          .
        </p>
      ) : (
        <form action={action} aria-label={`Attach ${candidate.suggestedName}`} className="grid max-w-md gap-3">
          <input type="hidden" name="region" value={region} />
          <input type="hidden" name="anchor" value={candidate.anchor} />
          <FieldShell name={nameField} label="Deployment name" help="How the console lists this deployment; must be unique." error={error}>
            <input
              name="name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              required
              maxLength={63}
              {...controlProps(nameField, true, error)}
              className={inputClass}
            />
          </FieldShell>
          <FormAlert error={state && !state.ok ? state.formError : undefined} />
          <button type="submit" disabled={pending} className="justify-self-start rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60">
            {pending ? 'Attaching…' : `Attach as ${name.trim() || '…'}`}
          </button>
          {!candidate.complete && (
            <p className="text-sm text-slate-600">Not every stack finished its last operation, so the deployment starts as failed; recover or redeploy it from its page.</p>
          )}
        </form>
      )}
    </section>
  );
}
