'use client';

import { useActionState, useState } from 'react';
import { createUserAction } from '@/app/admin/users/actions';
import { FormAlert } from '@/components/auth/form-alert';
import { controlProps, fieldId, FieldShell, inputClass } from '@/components/ui/field';
import { ROLES, ROLE_LABELS } from '@/lib/auth/roles';
import { OneTimePassword } from './one-time-password';

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, null);
  const [hidden, setHidden] = useState<object | null>(null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const created = state?.ok && hidden !== state ? state.data : undefined;
  return (
    <form action={action} className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="create-user-title" noValidate>
      <h2 id="create-user-title" className="text-lg font-semibold">
        Add a user
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        <FieldShell name="username" label="Username" error={errors.username} help="Letters, digits and . _ @ + -; an email address works.">
          <input
            name="username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            {...controlProps('username', true, errors.username)}
            className={inputClass}
          />
        </FieldShell>
        <FieldShell name="role" label="Role" error={errors.role}>
          <select id={fieldId('role')} name="role" defaultValue="viewer" aria-invalid={errors.role ? true : undefined} className={inputClass}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </FieldShell>
      </div>
      <FormAlert error={state && !state.ok ? state.formError : undefined} />
      {created && <OneTimePassword username={created.username} password={created.oneTimePassword} onDismiss={() => setHidden(state)} />}
      <button type="submit" disabled={pending} className="justify-self-start rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60">
        {pending ? 'Adding…' : 'Add user'}
      </button>
    </form>
  );
}
