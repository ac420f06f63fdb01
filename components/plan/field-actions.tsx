'use client';

import { lazy, Suspense, useState } from 'react';
import type { ParamSpec } from '@/lib/params/spec';
import { usePlanEnvironment } from './plan-environment';

// The panel that shows a generated password once: its code loads with the generator, when a
// password is asked for (generate() waits for both before it changes the field).
const loadPanel = () => import('./generated-password');
const GeneratedPassword = lazy(() => loadPanel().then((m) => ({ default: m.GeneratedPassword })));

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
  const [failed, setFailed] = useState(false);
  if (!spec.generate && !(spec.sample && sandbox)) return null;

  async function generate() {
    setBusy(true);
    setFailed(false);
    try {
      // Loaded on demand: bcrypt is needed only when someone asks for a password.
      const made = await import('@/lib/params/generate');
      if (spec.generate === 'uuid') onValue(made.generateUuid());
      else {
        await loadPanel();
        const { password: fresh, hash } = await made.generatedPassword();
        onValue(hash);
        setPassword(fresh);
      }
    } catch {
      // Its code did not come (offline, or the console was upgraded): the field is as it was.
      setFailed(true);
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
      {failed && (
        <p role="alert" className="text-sm text-bad">
          The generator could not be loaded: check the connection and try again. The field is unchanged.
        </p>
      )}
      {password && (
        <Suspense fallback={null}>
          <GeneratedPassword password={password} onStored={() => setPassword(undefined)} />
        </Suspense>
      )}
    </div>
  );
}
