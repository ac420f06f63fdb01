'use client';

import { useActionState, useState } from 'react';
import { deleteUserAction, resetPasswordAction, revokeSessionsAction } from '@/app/admin/users/actions';
import { OneTimePassword } from './one-time-password';

const button = 'rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-60';

/** Reset password (when password sign-in is on), end sessions and delete, for one user row. */
export function UserActions({ id, username, passwords }: { id: number; username: string; passwords: boolean }) {
  const [reset, resetAction, resetting] = useActionState(resetPasswordAction, null);
  const [revoked, revokeAction, revoking] = useActionState(revokeSessionsAction, null);
  const [deleted, deleteAction, deleting] = useActionState(deleteUserAction, null);
  const [confirming, setConfirming] = useState(false);
  const [hiddenReset, setHiddenReset] = useState<object | null>(null);
  const failure = [reset, revoked, deleted].find((s) => s && !s.ok);
  const message = failure && !failure.ok ? (failure.formError ?? Object.values(failure.fieldErrors ?? {})[0]) : undefined;

  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap gap-2">
        {passwords && (
          <form action={resetAction}>
            <input type="hidden" name="id" value={id} />
            <button type="submit" disabled={resetting} className={button} aria-label={`Reset password of ${username}`}>
              {resetting ? 'Resetting…' : 'Reset password'}
            </button>
          </form>
        )}
        <form action={revokeAction}>
          <input type="hidden" name="id" value={id} />
          <button type="submit" disabled={revoking} className={button} aria-label={`Sign out ${username} everywhere`}>
            {revoking ? 'Signing out…' : 'Revoke sessions'}
          </button>
        </form>
        {confirming ? (
          <form action={deleteAction} className="flex gap-2">
            <input type="hidden" name="id" value={id} />
            <button type="submit" disabled={deleting} className={`${button} border-bad text-bad`}>
              {deleting ? 'Deleting…' : `Delete ${username} for good`}
            </button>
            <button type="button" className={button} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button type="button" className={button} onClick={() => setConfirming(true)} aria-label={`Delete ${username}`}>
            Delete
          </button>
        )}
      </div>
      {message && (
        <p role="alert" className="text-xs text-bad">
          {message}
        </p>
      )}
      {revoked?.ok && (
        <p role="status" className="text-xs text-ok">
          Ended {revoked.data.count} session{revoked.data.count === 1 ? '' : 's'}.
        </p>
      )}
      {reset?.ok && hiddenReset !== reset && (
        <OneTimePassword username={reset.data.username} password={reset.data.oneTimePassword} onDismiss={() => setHiddenReset(reset)} />
      )}
    </div>
  );
}
