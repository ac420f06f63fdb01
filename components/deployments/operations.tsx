'use client';

import { useState } from 'react';
import { ChangeSizes, type SizeField } from '@/components/cost/change-sizes';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { ExposureRule } from '@/lib/params/exposure';
import type { SizeId } from '@/lib/params/sizes';
import type { SecretField } from '@/lib/plan/secret-fields';
import { Addon, type AddonCard } from './addons';
import { ChangeSettings, type SettingField } from './change-settings';
import { ReleaseUpgrade, type ReleaseContext } from './release-upgrade';
import { SecretFields, type SecretValues } from './secret-fields';
import { useStartRun } from './use-start-run';

export interface OperationsContext {
  deploymentId: string;
  name: string;
  /** Whether the plan has the stack the Grafana reset changes. */
  grafanaReset: boolean;
  /** The image parameters an image update may change (the line's), with their values now; none: no image update. */
  images: Record<string, string>;
  /** Where Lakerunner's own telemetry goes now; undefined when the line has no such setting. */
  otelEndpoint?: string;
  /** What a teardown deletes and keeps, in the line's words. */
  teardownNote: string;
  /** When the line's stacks keep secrets a teardown may force-delete: what that means, for its checkbox. */
  teardownSecretsNote?: string;
  /** NoEcho parameters: given again for each run, never stored (with what the form may make or offer for them). */
  secretFields: SecretField[];
  /** Task counts of the deployed plan's stacks. */
  sizes?: SizeField[];
  /** What each size means on the deployment's line. */
  sizeHelp?: Readonly<Record<SizeId, string>>;
  /** Settings of the deployed plan's stacks (load balancers, certificates, database version). */
  settings?: SettingField[];
  /** The line's load balancers that may face the internet (for the settings form's warning). */
  exposure?: readonly ExposureRule[];
  /** The release the deployment runs and newer ones known; absent when its line has no release manifests. */
  release?: ReleaseContext;
  /** The line's add-ons: optional stacks added, changed or removed on their own. */
  addons?: AddonCard[];
}

const card = 'grid gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm';
const primary = 'justify-self-start rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark disabled:opacity-60';

/** Every run a deployer can start, each previewed as change sets before anything executes. */
export function Operations({ context, account }: { context: OperationsContext; account: string | undefined }) {
  const start = useStartRun();
  const [secrets, setSecrets] = useState<SecretValues>({});
  const [images, setImages] = useState(context.images);
  const [endpoint, setEndpoint] = useState(context.otelEndpoint ?? '');
  const [confirmName, setConfirmName] = useState('');
  const [forceDeleteSecrets, setForceDeleteSecrets] = useState(false);
  const ready = account !== undefined && !start.pending;
  const go = (operation: Parameters<typeof start.run>[0]['operation']) =>
    account && start.run({ deploymentId: context.deploymentId, confirmedAccount: account, operation, ...(operation.kind === 'deploy' ? { secrets } : {}) });

  return (
    <section aria-labelledby="operations-heading" className="grid gap-3">
      <h2 id="operations-heading" className="text-xl font-semibold">Operations</h2>
      {!account && <p className="text-sm text-slate-700">Check access and confirm the account above to preview and run these.</p>}
      {start.formError && <p role="alert" className="rounded border border-bad bg-red-50 p-2 text-sm text-bad">{start.formError}</p>}
      <div className={card}>
        <h3 className="font-semibold">Deploy or update the whole plan</h3>
        <SecretFields fields={context.secretFields} values={secrets} onChange={setSecrets} fieldError={start.fieldError} />
        <button type="button" className={primary} disabled={!ready} onClick={() => go({ kind: 'deploy' })}>Preview deployment</button>
      </div>
      {context.release && <ReleaseUpgrade deploymentId={context.deploymentId} account={account} release={context.release} />}
      {Object.keys(images).length > 0 && (
        <div className={card}>
          <h3 className="font-semibold">Update image versions</h3>
          <p className="text-xs text-slate-600">Only these parameters change; everything else keeps its previous value.</p>
          {Object.keys(images).map((key) => {
            const name = `operation.images.${key}`;
            const error = start.fieldError(name);
            return (
              <FieldShell key={key} name={name} label={key} error={error}>
                <input
                  className={`${inputClass} font-mono`}
                  value={images[key]}
                  {...controlProps(name, false, error)}
                  onChange={(e) => setImages({ ...images, [key]: e.target.value })}
                />
              </FieldShell>
            );
          })}
          <button type="button" className={primary} disabled={!ready} onClick={() => go({ kind: 'update-images', images })}>Preview image update</button>
        </div>
      )}
      {context.sizes && context.sizes.length > 0 && <ChangeSizes deploymentId={context.deploymentId} account={account} fields={context.sizes} help={context.sizeHelp} />}
      {context.settings && context.settings.length > 0 && (
        <ChangeSettings deploymentId={context.deploymentId} account={account} fields={context.settings} exposure={context.exposure ?? []} />
      )}
      {context.addons?.map((addon) => <Addon key={addon.stack} deploymentId={context.deploymentId} account={account} addon={addon} />)}
      {context.otelEndpoint !== undefined && (
        <div className={card}>
          <h3 className="font-semibold">OTLP telemetry endpoint</h3>
          <FieldShell name="operation.endpoint" label="Lakerunner’s own telemetry goes to (empty turns it off)" error={start.fieldError('operation.endpoint')}>
            <input
              className={`${inputClass} font-mono`}
              value={endpoint}
              placeholder="http://collector.example.com:4318"
              {...controlProps('operation.endpoint', false, start.fieldError('operation.endpoint'))}
              onChange={(e) => setEndpoint(e.target.value)}
            />
          </FieldShell>
          <button type="button" className={primary} disabled={!ready} onClick={() => go({ kind: 'otlp-endpoint', endpoint })}>{endpoint ? 'Preview setting the endpoint' : 'Preview clearing the endpoint'}</button>
        </div>
      )}
      {context.grafanaReset && (
        <div className={card}>
          <h3 className="font-semibold">Reset Grafana</h3>
          <p className="text-sm">Wipes Grafana’s dashboards, users and settings and starts again with the <code>lakerunner</code> admin and the password in Secrets Manager (a new reset token, then clearing it).</p>
          <button type="button" className={primary} disabled={!ready} onClick={() => go({ kind: 'grafana-reset' })}>Preview Grafana reset</button>
        </div>
      )}
      <div className={`${card} border-red-200`}>
        <h3 className="font-semibold text-bad">Tear down</h3>
        <p className="text-sm">{context.teardownNote}</p>
        <label className="grid gap-1 text-sm">
          <span>Type <strong>{context.name}</strong> to confirm</span>
          <input className={inputClass} value={confirmName} aria-invalid={start.fieldError('operation.confirmName') ? true : undefined} onChange={(e) => setConfirmName(e.target.value)} />
        </label>
        {context.teardownSecretsNote && (
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1" checked={forceDeleteSecrets} onChange={(e) => setForceDeleteSecrets(e.target.checked)} />
            <span>{context.teardownSecretsNote}</span>
          </label>
        )}
        <button type="button" className="justify-self-start rounded bg-bad px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60" disabled={!ready || confirmName !== context.name} onClick={() => go({ kind: 'teardown', confirmName, ...(forceDeleteSecrets ? { forceDeleteSecrets } : {}) })}>
          Preview teardown
        </button>
      </div>
    </section>
  );
}
