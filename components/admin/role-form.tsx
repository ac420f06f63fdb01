'use client';

import { useActionState } from 'react';
import { changeRoleAction } from '@/app/admin/users/actions';
import { inputClass } from '@/components/ui/field';
import { ROLES, type Role } from '@/lib/auth/roles';

export function RoleForm({ id, username, role }: { id: number; username: string; role: Role }) {
  const [state, action, pending] = useActionState(changeRoleAction, null);
  const error = state && !state.ok ? (state.fieldErrors?.role ?? state.formError ?? Object.values(state.fieldErrors ?? {})[0]) : undefined;
  const selectId = `role-${id}`;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <label htmlFor={selectId} className="sr-only">
        Role of {username}
      </label>
      <select
        id={selectId}
        name="role"
        defaultValue={role}
        key={role}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${selectId}-error` : undefined}
        className={`${inputClass} w-auto`}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className="rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50" aria-label={`Change role of ${username}`}>
        {pending ? 'Saving…' : 'Change role'}
      </button>
      {error && (
        <p id={`${selectId}-error`} role="alert" className="w-full text-xs text-bad">
          {error}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="w-full text-xs text-ok">
          {state.data.from === state.data.to ? `Already ${state.data.to}.` : `Now ${state.data.to}.`}
        </p>
      )}
    </form>
  );
}
