'use client';

import { useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import type { ParamSpec } from '@/lib/params/spec';
import { usePlanEnvironment } from './plan-environment';

const action = 'rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-60';

/**
 * The buttons a spec asks for beside its field: generate a value (a UUID, or a password whose
 * bcrypt hash becomes the value and which is shown once, here, and kept nowhere), and a sample
 * value against the sandbox.
 */
export function FieldActions({ spec, label, onValue }: { spec: Pick<ParamSpec, 'generate' | 'sample'>; label: string; onValue: (value: string) => void }) {
  const { sandbox } = usePlanEnvironment();
  const [password, setPassword] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!spec.generate && !(spec.sample && sandbox)) return null;

  async function generate() {
    setBusy(true);
    try {
      // Loaded on demand: bcrypt is needed only when someone asks for a password.
      const made = await import('@/lib/params/generate');
      if (spec.generate === 'uuid') onValue(made.generateUuid());
      else {
        const { password: fresh, hash } = await made.generatedPassword();
        onValue(hash);
        setPassword(fresh);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap gap-2">
        {spec.generate && (
          <button type="button" className={action} disabled={busy} onClick={generate}>
            {spec.generate === 'uuid' ? `Generate ${label.toLowerCase()}` : 'Let the console generate a password'}
          </button>
        )}
        {spec.sample && sandbox && (
          <button type="button" className={action} onClick={() => onValue(spec.sample!.value)}>
            {spec.sample.label}
          </button>
        )}
      </div>
      {password && (
        <div role="status" className="grid gap-1 rounded border border-amber-300 bg-amber-50 p-2 text-sm" data-testid="generated-password">
          <p className="font-medium">The password, shown once: store it now, it is not kept.</p>
          <p className="text-xs text-slate-700">Only its bcrypt hash went into the field above and travels with the plan; the console cannot show this password again.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code aria-label="Generated password" className="rounded bg-white px-2 py-1 font-mono">
              {password}
            </code>
            <CopyButton text={password} label="Copy password" />
            <button type="button" className={action} onClick={() => setPassword(undefined)}>
              I have stored it
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
