'use client';

import { CopyButton } from '@/components/ui/copy-button';

/** A generated password, shown to the admin this once; the console keeps only its hash. */
export function OneTimePassword({ username, password, onDismiss }: { username: string; password: string; onDismiss: () => void }) {
  return (
    <div role="status" className="grid gap-2 rounded border border-ok bg-green-50 p-3 text-sm">
      <p>
        One-time password for <strong>{username}</strong>. Hand it over through a trusted channel: it is shown only now, and{' '}
        {username} must choose their own password at first sign-in.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-white px-2 py-1 text-base" aria-label={`One-time password for ${username}`}>
          {password}
        </code>
        <CopyButton text={password} label="Copy" />
        <button type="button" onClick={onDismiss} className="rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50">
          Done, hide it
        </button>
      </div>
    </div>
  );
}
