'use client';

import { Suspense } from 'react';
import { useFormContext } from 'react-hook-form';
import { useFieldError } from '@/components/form/use-field-errors';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import { lazyPart } from '@/components/ui/lazy-part';
import type { StackInfo } from '@/lib/plan';
import { isIncluded, type Plan } from '@/lib/params/plan';
import type { StackId, StackMeta } from '@/templates/stack';

/** Secrets no download carries: whoever runs deploy.sh gives them in its parameters files. */
function KeptOutOfDownloads({ plan, metas }: { plan: Plan; metas: readonly StackMeta[] }) {
  const kept = metas.filter((meta) => isIncluded(plan, meta)).flatMap((meta) => meta.parameters.filter((p) => p.keepOutOfDownloads).map((p) => `parameters/${meta.stem}.json: ${p.key}`));
  if (kept.length === 0) return null;
  return (
    <p className="basis-full break-words text-xs text-slate-700" data-testid="kept-out-of-downloads">
      The bundle leaves these secrets empty, so it never carries them: fill them in before you run deploy.sh — {kept.join('; ')}.
    </p>
  );
}

// What only a valid plan shows (CLI commands, quick-create links, previews, files to publish) is
// known after the page's first paint, once the plan checks out: its code loads then.
const PublishFiles = lazyPart(() => import('./launch-steps').then((m) => m.PublishFiles), 'files to publish');
const LaunchSteps = lazyPart(() => import('./launch-steps').then((m) => m.LaunchSteps), 'launch steps');

interface Props {
  livePlan: Plan | undefined;
  metas: readonly StackMeta[];
  info: Record<StackId, StackInfo>;
  download: (path: string, body: object, fallbackName: string) => Promise<void>;
  currentPlan: () => object;
}

/** The plan's outputs in deployment order: bundle, per-stack downloads, CLI and quick-create links. */
export function LaunchSection({ livePlan, metas, info, download, currentPlan }: Props) {
  const { register } = useFormContext<Plan>();
  const baseError = useFieldError('templateBaseUrl');
  const mirrorError = useFieldError('childTemplatesUrl');
  const nested = metas.filter((m) => m.children?.length);
  return (
    <section aria-labelledby="launch-heading" className="grid gap-4">
      <h2 id="launch-heading" className="text-xl font-semibold">Launch</h2>
      <div className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <span className="text-sm">Everything for the AWS CLI — templates, parameters files and deploy.sh:</span>
        <button type="button" className="rounded bg-brand px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-dark" onClick={() => download('/api/plan/bundle?format=yaml', currentPlan(), 'lakerunner-yaml.zip')}>
          Download bundle (YAML)
        </button>
        <button type="button" className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50" onClick={() => download('/api/plan/bundle?format=json', currentPlan(), 'lakerunner-json.zip')}>
          Download bundle (JSON)
        </button>
        {livePlan && <KeptOutOfDownloads plan={livePlan} metas={metas} />}
      </div>

      <div className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <FieldShell
          name="templateBaseUrl"
          label="Template base URL (for quick-create links)"
          help="An https S3 location where you publish the templates, e.g. https://my-bucket.s3.us-east-1.amazonaws.com/lakerunner/. The AWS console only opens templates from S3."
          error={baseError}
        >
          <input
            className={`${inputClass} font-mono`}
            autoComplete="off"
            spellCheck={false}
            {...controlProps('templateBaseUrl', true, baseError)}
            {...register('templateBaseUrl')}
          />
        </FieldShell>
        {nested.length > 0 && (
          <FieldShell
            name="childTemplatesUrl"
            label="Nested templates mirror (optional)"
            help={`Where the console's deploys load the nested stacks of ${nested.map((m) => m.title).join(', ')} from: an https S3 folder holding the templates as published (the children under cardinal-lakerunner/), for installs that cannot reach the console's own staging bucket. Empty: the console publishes them there itself.`}
            error={mirrorError}
          >
            <input
              className={`${inputClass} font-mono`}
              autoComplete="off"
              spellCheck={false}
              placeholder="https://my-mirror.s3.us-east-1.amazonaws.com/lakerunner/"
              {...controlProps('childTemplatesUrl', true, mirrorError)}
              {...register('childTemplatesUrl')}
            />
          </FieldShell>
        )}
        {livePlan && (
          <Suspense fallback={null}>
            <PublishFiles plan={livePlan} metas={metas} download={download} currentPlan={currentPlan} />
          </Suspense>
        )}
      </div>

      {livePlan ? (
        <>
          <p className="text-sm text-slate-700">
            Create the stacks in this order, each once the stacks it depends on are complete; stacks that do not depend on each other can be created
            side by side (each card says which).
          </p>
          <Suspense fallback={<p className="text-sm text-slate-600">Preparing the launch steps…</p>}>
            <LaunchSteps plan={livePlan} metas={metas} info={info} download={download} currentPlan={currentPlan} />
          </Suspense>
        </>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700">
          The commands, links and previews appear here as soon as the plan is valid. Use <strong>Check plan</strong> to see what needs fixing.
        </p>
      )}
    </section>
  );
}
