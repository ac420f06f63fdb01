'use client';

import { useActionState } from 'react';
import { signOutAction } from '@/app/account/actions';

export function SignOutButton({ className }: { className?: string }) {
  const [state, action, pending] = useActionState(signOutAction, null);
  return (
    <form action={action} className="inline">
      <button type="submit" disabled={pending} className={className ?? 'rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50'}>
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
      {state && !state.ok && (
        <span role="alert" className="ml-2 text-bad">
          {state.formError}
        </span>
      )}
    </form>
  );
}
