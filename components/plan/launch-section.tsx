'use client';

import { useFormContext } from 'react-hook-form';
import { controlProps, FieldShell, inputClass } from '@/components/ui/field';
import type { StackInfo } from '@/lib/plan';
import { orderNotes } from '@/lib/params/graph';
import { planGraph, planStacks, type Plan } from '@/lib/params/plan';
import { parseTemplateBaseUrl } from '@/lib/params/template-url';
import type { StackId, StackMeta } from '@/templates/stack';
import { StackLaunchCard } from './stack-launch-card';
import { errorAt } from './use-plan-form';

interface Props {
  livePlan: Plan | undefined;
  metas: readonly StackMeta[];
  info: Record<StackId, StackInfo>;
  download: (path: string, body: object, fallbackName: string) => Promise<void>;
  currentPlan: () => object;
}

/** The plan's outputs in deployment order: bundle, per-stack downloads, CLI and quick-create links. */
export function LaunchSection({ livePlan, metas, info, download, currentPlan }: Props) {
  const { register, formState } = useFormContext<Plan>();
  const baseError = errorAt(formState.errors, 'templateBaseUrl');
  const stacks = livePlan ? planStacks(livePlan, metas) : [];
  const order = livePlan ? orderNotes(planGraph(livePlan, metas)) : {};
  const location = livePlan ? parseTemplateBaseUrl(livePlan.templateBaseUrl) : undefined;

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
        {location && livePlan && (
          <div className="text-sm">
            <p>
              Upload these files to bucket <code>{location.bucket}</code>:
            </p>
            <ul className="ml-5 list-disc font-mono text-xs">
              {stacks.map((s) => (
                <li key={s.meta.id}>{`${location.prefix}${s.meta.stem}.yaml`}</li>
              ))}
            </ul>
            <button type="button" className="mt-2 rounded border border-slate-300 px-3 py-1 hover:bg-slate-50" onClick={() => download('/api/plan/quick-create-files', currentPlan(), 'templates.zip')}>
              Download the files to publish (zip with this key layout)
            </button>
          </div>
        )}
      </div>

      {livePlan ? (
        <>
          <p className="text-sm text-slate-700">
            Create the stacks in this order, each once the stacks it depends on are complete; stacks that do not depend on each other can be created
            side by side (each card says which).
          </p>
          <ol className="grid gap-3" aria-label="Stacks in deployment order">
            {stacks.map((stack, index) => (
              <StackLaunchCard
                key={stack.meta.id}
                plan={livePlan}
                stack={stack}
                step={index + 1}
                info={info[stack.meta.id]}
                order={order[stack.meta.id]}
                onDownload={(id, format) => download(`/api/plan/template?stack=${id}&format=${format}`, currentPlan(), `${stack.meta.stem}.${format}`)}
              />
            ))}
          </ol>
        </>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700">
          The commands, links and previews appear here as soon as the plan is valid. Use <strong>Check plan</strong> to see what needs fixing.
        </p>
      )}
    </section>
  );
}
