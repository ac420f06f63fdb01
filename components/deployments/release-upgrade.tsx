'use client';

import type { UpgradeChange } from '@/lib/releases/upgrade';
import { useStartRun } from './use-start-run';

/** A known release newer than the one the deployment runs, with what upgrading to it changes. */
export interface NewerRelease {
  version: string;
  date: string;
  notes: readonly string[];
  /** What upgrading straight to this release changes in the deployment's stacks. */
  changes: readonly UpgradeChange[];
}

export interface ReleaseContext {
  /** The release the deployment runs; undefined when the line has release manifests but none applies. */
  running?: string;
  /** Newer known releases, oldest first; the upgrade offered is to the newest. */
  newer: readonly NewerRelease[];
}

const primary = 'justify-self-start rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-60';

/** The release a deployment runs and, when a newer one is known, its notes, its changes and the upgrade (previewed like every run). */
export function ReleaseUpgrade({ deploymentId, account, release }: { deploymentId: string; account: string | undefined; release: ReleaseContext }) {
  const start = useStartRun();
  const target = release.newer.at(-1);
  const ready = account !== undefined && !start.pending;
  return (
    <section aria-labelledby="release-heading" className="grid min-w-0 gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id="release-heading" className="font-semibold">Release</h3>
      <p className="text-sm">Runs <strong data-testid="running-release">{release.running ?? 'an unknown release'}</strong> of its line.</p>
      {!target && <p className="text-sm text-slate-600">No newer release of this line is known to the console. Newer ones are imported with <code>npm run releases -- --manifest FILE</code>.</p>}
      {target && (
        <>
          <p className="text-sm" role="status">
            A newer release is known: <strong>{target.version}</strong> ({target.date}).
          </p>
          <div className="grid gap-1">
            <h4 className="text-sm font-semibold">Release notes</h4>
            {[...release.newer].reverse().map((r) => (
              <div key={r.version} className="grid gap-1 text-sm" aria-label={`Notes of ${r.version}`} role="group">
                <p className="font-medium">{r.version} ({r.date})</p>
                <ul className="list-disc pl-5">
                  {r.notes.map((text, i) => <li key={i}>{text}</li>)}
                </ul>
              </div>
            ))}
          </div>
          <div className="grid gap-1">
            <h4 className="text-sm font-semibold">What the upgrade to {target.version} changes</h4>
            {target.changes.length === 0 && <p className="text-sm text-slate-600">No parameter of this deployment’s stacks changes.</p>}
            <ul aria-label={`Changes of the upgrade to ${target.version}`} className="grid gap-1 text-xs">
              {target.changes.map((c) => (
                <li key={`${c.stackId}.${c.parameter}`} className="grid min-w-0 gap-0.5 rounded border border-slate-100 p-2">
                  <span className="font-medium">{c.stackTitle}: {c.parameter}</span>
                  <code className="break-all text-slate-500">{c.from || '(empty)'}</code>
                  <code className="break-all">→ {c.to || '(empty)'}</code>
                </li>
              ))}
            </ul>
          </div>
          {start.formError && <p role="alert" className="rounded border border-bad bg-red-50 p-2 text-sm text-bad">{start.formError}</p>}
          <p className="text-xs text-slate-600">The preview shows each stack’s change set, nested stacks included, before anything changes.</p>
          <button
            type="button"
            className={primary}
            disabled={!ready}
            onClick={() => account && start.run({ deploymentId, confirmedAccount: account, operation: { kind: 'upgrade-release', version: target.version } })}
          >
            Upgrade to {target.version}
          </button>
        </>
      )}
    </section>
  );
}
