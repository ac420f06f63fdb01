'use client';

import { CopyButton } from '@/components/ui/copy-button';

const action = 'rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-60';

/** A password the console generated, shown once until the user says it is stored; only its hash is kept (in the field). */
export function GeneratedPassword({ password, onStored }: { password: string; onStored: () => void }) {
  return (
    <div role="status" className="grid gap-1 rounded border border-amber-300 bg-amber-50 p-2 text-sm" data-testid="generated-password">
      <p className="font-medium">The password, shown once: store it now, it is not kept.</p>
      <p className="text-xs text-slate-700">Only its bcrypt hash went into the field above and travels with the plan; the console cannot show this password again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code aria-label="Generated password" className="rounded bg-white px-2 py-1 font-mono">
          {password}
        </code>
        <CopyButton text={password} label="Copy password" />
        <button type="button" className={action} onClick={onStored}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
