'use client';

import { useActionState, useState } from 'react';
import { signInAction } from '@/app/signin/actions';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { FormAlert } from './form-alert';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, null);
  // Controlled, so the username survives a failed attempt (React resets the form after an action).
  const [username, setUsername] = useState('');
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} method="post" className="grid gap-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FieldShell name="username" label="Username" error={errors.username}>
        <input
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          {...controlProps('username', false, errors.username)}
          className={inputClass}
        />
      </FieldShell>
      <FieldShell name="password" label="Password" error={errors.password}>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          {...controlProps('password', false, errors.password)}
          className={inputClass}
        />
      </FieldShell>
      <FormAlert error={state && !state.ok ? state.formError : undefined} />
      <button type="submit" disabled={pending} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60">
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
