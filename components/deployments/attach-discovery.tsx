'use client';
// Region picker and "Discover stacks": lists what the console found, one card per deployment.
import { useActionState, useState } from 'react';
import { discoverStacksAction } from '@/app/deployments/attach/actions';
import { FormAlert } from '@/components/auth/form-alert';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { AttachCandidateCard } from './attach-candidate';

export function AttachDiscovery({ regions, defaultRegion }: { regions: { code: string; name: string }[]; defaultRegion: string }) {
  const [state, action, pending] = useActionState(discoverStacksAction, null);
  const [region, setRegion] = useState(defaultRegion);
  const error = state && !state.ok ? state.fieldErrors?.region : undefined;
  const found = state?.ok ? state.data : undefined;
  const summary = found && `${found.candidates.length === 0 ? 'No Lakerunner stacks' : `${found.candidates.length} deployment${found.candidates.length === 1 ? '' : 's'}`} found in ${found.region} (account ${found.account}).`;

  return (
    <div className="grid gap-6">
      <form action={action} aria-label="Discover stacks" className="flex flex-wrap items-end gap-3">
        <FieldShell name="region" label="Region" error={error}>
          <select
            name="region"
            value={region}
            onChange={(event) => setRegion(event.target.value)}
            {...controlProps('region', false, error)}
            className={inputClass}
          >
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} — {r.name}
              </option>
            ))}
          </select>
        </FieldShell>
        <button type="submit" disabled={pending} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60">
          {pending ? 'Discovering…' : 'Discover stacks'}
        </button>
      </form>
      <FormAlert error={state && !state.ok ? state.formError : undefined} success={summary} />
      {found && found.candidates.length > 0 && (
        <div className="grid gap-4">
          {found.candidates.map((candidate) => (
            <AttachCandidateCard key={candidate.anchor} candidate={candidate} region={found.region} />
          ))}
        </div>
      )}
    </div>
  );
}
