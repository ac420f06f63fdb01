'use client';

import { useState } from 'react';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { useStartRun } from './use-start-run';

/** An add-on of the deployment's line, as its card shows it. */
export interface AddonCard {
  stack: string;
  title: string;
  summary: string;
  /** Whether the deployment's plan includes the add-on's stack now. */
  present: boolean;
  /** Its stack's name: the deployed one, or (not yet added) the one suggested in the deployment's pattern. */
  stackName: string;
  /** Its settings with the plan's values (or the parameter's default). */
  settings: { key: string; label: string; description: string; value: string }[];
}

const primary = 'justify-self-start rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-60';
const danger = 'justify-self-start rounded bg-bad px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60';

/** Add, change or remove one optional stack on its own; each is previewed as a change set and approved like every run. */
export function Addon({ deploymentId, account, addon }: { deploymentId: string; account: string | undefined; addon: AddonCard }) {
  const start = useStartRun();
  const [values, setValues] = useState(() => Object.fromEntries(addon.settings.map((s) => [s.key, s.value])));
  const [stackName, setStackName] = useState(addon.stackName);
  const ready = account !== undefined && !start.pending;
  const go = (kind: 'add-addon' | 'change-addon' | 'remove-addon') =>
    account &&
    start.run({
      deploymentId,
      confirmedAccount: account,
      operation: kind === 'remove-addon' ? { kind, stack: addon.stack } : kind === 'add-addon' ? { kind, stack: addon.stack, settings: values, stackName } : { kind, stack: addon.stack, settings: values },
    });
  const nameField = 'operation.stackName';
  const nameError = start.fieldError(nameField);
  const headingId = `addon-${addon.stack}-heading`;
  return (
    <section aria-labelledby={headingId} data-testid={`addon-${addon.stack}`} className="grid min-w-0 gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id={headingId} className="font-semibold">{addon.title}</h3>
      <p className="text-sm">{addon.summary}</p>
      <p className="text-sm" role="status">{addon.present ? 'Part of this deployment.' : 'Not part of this deployment.'}</p>
      {start.formError && <p role="alert" className="rounded border border-bad bg-red-50 p-2 text-sm text-bad">{start.formError}</p>}
      {addon.present ? (
        <p className="text-sm">
          Stack <code data-testid={`addon-${addon.stack}-stack-name`}>{addon.stackName}</code>
        </p>
      ) : (
        <FieldShell
          name={nameField}
          label="Stack name"
          help="The name its stack takes, in the way this deployment names its other stacks; another deployment in this account and region must not have a stack of this name."
          error={nameError}
        >
          <input className={`${inputClass} font-mono`} value={stackName} {...controlProps(nameField, false, nameError)} onChange={(e) => setStackName(e.target.value)} />
        </FieldShell>
      )}
      {addon.settings.map((setting) => {
        const name = `operation.settings.${setting.key}`;
        const error = start.fieldError(name);
        return (
          <FieldShell key={setting.key} name={name} label={setting.label} help={setting.description} error={error}>
            <input
              className={`${inputClass} font-mono`}
              value={values[setting.key] ?? ''}
              {...controlProps(name, false, error)}
              onChange={(e) => setValues({ ...values, [setting.key]: e.target.value })}
            />
          </FieldShell>
        );
      })}
      <div className="flex flex-wrap gap-2">
        {addon.present ? (
          <>
            <button type="button" className={primary} disabled={!ready} onClick={() => go('change-addon')}>Preview the change</button>
            <button type="button" className={danger} disabled={!ready} onClick={() => go('remove-addon')}>Preview removing it</button>
          </>
        ) : (
          <button type="button" className={primary} disabled={!ready} onClick={() => go('add-addon')}>Preview adding it</button>
        )}
      </div>
    </section>
  );
}
