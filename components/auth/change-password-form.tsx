'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { changePasswordAction } from '@/app/account/actions';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { FormAlert } from './form-alert';

const FIELDS = [
  { name: 'currentPassword', label: 'Current password', autoComplete: 'current-password', help: undefined },
  { name: 'newPassword', label: 'New password', autoComplete: 'new-password', help: 'At least 12 characters. A passphrase of several words works well.' },
  { name: 'confirmPassword', label: 'New password again', autoComplete: 'new-password', help: undefined },
] as const;

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const done = state?.ok ? state.data : undefined;
  return (
    <form action={action} className="grid max-w-md gap-4" noValidate>
      {FIELDS.map((field) => (
        <FieldShell key={field.name} name={field.name} label={field.label} help={field.help} error={errors[field.name]}>
          <input
            name={field.name}
            type="password"
            autoComplete={field.autoComplete}
            required
            {...controlProps(field.name, !!field.help, errors[field.name])}
            className={inputClass}
          />
        </FieldShell>
      ))}
      <FormAlert
        error={state && !state.ok ? state.formError : undefined}
        success={
          done && (
            <>
              Password changed.
              {done.endedSessions > 0 && ` Signed out ${done.endedSessions} other session${done.endedSessions === 1 ? '' : 's'}.`}
              {done.wasRequired && (
                <>
                  {' '}
                  <Link href="/" className="underline">
                    Continue to the console
                  </Link>
                </>
              )}
            </>
          )
        }
      />
      <button type="submit" disabled={pending} className="justify-self-start rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60">
        {pending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
