'use client';

import { memo, Suspense, useCallback, useEffect, useRef, useState, useTransition, type ComponentType } from 'react';
import type { FieldErrors } from 'react-hook-form';
import { deployWithConsole } from '@/app/plan/actions';
import { EstimatePanel } from '@/components/cost/estimate-panel';
import { SizeAndUsage } from '@/components/cost/size-and-usage';
import { formErrorOf } from '@/components/form/field-errors';
import { StableFormProvider } from '@/components/form/stable-form-provider';
import { lazyPart } from '@/components/ui/lazy-part';
import type { LoadedLine } from '@/lib/plan';
import type { Plan } from '@/lib/params/plan';
import type { LineId } from '@/templates/stack';
import { AccountsSection } from './accounts-section';
import { BasicsSection, type LineSwitch } from './basics-section';
import { ImagesSection } from './images-section';
import { LaunchSection } from './launch-section';
import { lineCache, type LineChoice } from './line-cache';
import { PlanEnvironmentProvider } from './plan-environment';
import { StackParameters } from './stack-parameters';
import { StacksSection } from './stacks-section';
import { lineFor } from './plan-resolver';
import { focusFirstError, usePlanForm } from './use-plan-form';
import { usePlanRequest } from './use-plan-request';

// The list of fields to fix only shows after a check: its code loads then.
const ErrorSummary = lazyPart(() => import('./error-summary').then((m) => m.ErrorSummary), 'list of fields to fix');

interface Props {
  /** The release lines to plan on, the default one first. */
  lines: readonly LineChoice[];
  /** The line the page comes with (the plan's, as far as the server knows): the others load when the plan needs them. */
  initial: LoadedLine;
  /** Whether the signed-in user may deploy (deployer or admin). */
  canDeploy: boolean;
  /** Whether the console deploys to its sandbox (the form then offers sample values). */
  sandbox?: boolean;
}

export function PlanWorkspace({ lines, initial, canDeploy, sandbox = false }: Props) {
  const [cache] = useState(() => lineCache(initial));
  const { form, line, livePlan, restored, load, applyServerErrors, planChecked, switchLine, prefetchLine, resetLine } = usePlanForm(cache, lines);
  const launchLine = livePlan ? lineFor(cache.metas(), livePlan) : line;
  const request = usePlanRequest(applyServerErrors);
  const [checked, setChecked] = useState(false);
  const [deploying, startDeploying] = useTransition();

  /** A submit the form's own check refused: the first field to fix gets the focus, and the status says why the check could not run, or what to do. */
  const refused = (fix: string) => (errors: FieldErrors<Plan>) => {
    setChecked(true);
    focusFirstError(errors);
    request.setState({ status: 'error', message: formErrorOf(errors) ?? fix });
  };

  const deploy = form.handleSubmit(
    (plan) =>
      startDeploying(async () => {
        setChecked(true);
        request.setState({ status: 'busy' });
        // On success the action opens the new deployment; it only returns on a refusal.
        const result = await deployWithConsole(plan);
        if (result.ok) return;
        if (result.fieldErrors) applyServerErrors(result.fieldErrors);
        request.setState({ status: 'error', message: result.formError ?? 'The server did not accept the plan; see the fields.' });
      }),
    refused('Fix the fields below before deploying.'),
  );

  const check = form.handleSubmit(
    async (plan) => {
      setChecked(true);
      planChecked(plan);
      const response = await request.send('/api/plan/validate', plan);
      if (response) request.setState({ status: 'done', message: 'The plan is valid: the server agrees. Launch it below.' });
    },
    refused('Fix the fields below, then check again.'),
  );

  /** Downloads go through the client check first, then the server validates again. */
  const downloadNow = (path: string, body: object, fallbackName: string) =>
    form.handleSubmit(
      (plan) => {
        planChecked(plan);
        return request.download(path, body, fallbackName);
      },
      refused('Fix the fields below before downloading.'),
    )();
  // The launch section gets functions that stay the same, so a render of the workspace leaves it alone.
  const latestDownload = useRef(downloadNow);
  useEffect(() => {
    latestDownload.current = downloadNow;
  });
  const download = useCallback((path: string, body: object, fallbackName: string) => latestDownload.current(path, body, fallbackName), []);
  const currentPlan = useCallback(() => form.getValues(), [form]);

  function reset() {
    resetLine();
    setChecked(false);
    request.setState({ status: 'done', message: 'The plan was reset to the defaults.' });
  }

  const onSwitch = useCallback(
    (id: LineId) => {
      setChecked(false);
      switchLine(id);
    },
    [switchLine],
  );

  const status = request.state;
  return (
    <StableFormProvider form={form}>
      <PlanEnvironmentProvider sandbox={sandbox}>
      <div className="grid gap-6" data-restored={restored} data-line={line.id}>
        <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem] xl:items-start">
        <form onSubmit={check} noValidate className="grid gap-4" aria-label="Deployment plan" aria-busy={load.status === 'loading'}>
          {checked && (
            <Suspense>
              <ErrorSummary visible />
            </Suspense>
          )}
          <PlanSections lines={lines} line={line} load={load} onSwitch={onSwitch} onPrefetch={prefetchLine} />
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark" disabled={status.status === 'busy'}>
              Check plan
            </button>
            {canDeploy && (
              <button type="button" onClick={deploy} disabled={deploying} className="rounded border border-brand px-4 py-2 font-medium text-brand-dark hover:bg-brand-light">
                Deploy with the console…
              </button>
            )}
            <button type="button" onClick={reset} className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-50">
              Reset to defaults
            </button>
            <p aria-live="polite" className={`text-sm ${status.status === 'error' ? 'text-bad' : 'text-slate-700'}`}>
              {status.status === 'busy' ? 'Working…' : 'message' in status ? status.message : ''}
            </p>
          </div>
        </form>
        <EstimateArea plan={livePlan} />
        </div>
        <LaunchArea livePlan={livePlan} metas={launchLine.stacks} info={cache.get(launchLine.id)?.info ?? NO_INFO} download={download} currentPlan={currentPlan} />
      </div>
      </PlanEnvironmentProvider>
    </StableFormProvider>
  );
}

const NO_INFO = {};

/**
 * A part that hydrates on its own: a Suspense boundary inside a memoized component. A boundary
 * still waiting to hydrate that its parent renders again with new props is hydrated at once,
 * synchronously, and react-hook-form renders the workspace again as soon as the form is ready,
 * while the page is still hydrating; the memo keeps those renders away from the boundary.
 */
function hydratingAlone<P extends object>(Part: ComponentType<P>) {
  const Alone = memo(function HydratingAlone(props: P) {
    return (
      <Suspense>
        <Part {...props} />
      </Suspense>
    );
  });
  Alone.displayName = `HydratingAlone(${Part.displayName ?? Part.name})`;
  return Alone;
}

// The estimate and the launch steps hydrate on their own too.
const EstimateArea = hydratingAlone(EstimatePanel);
const LaunchArea = hydratingAlone(LaunchSection);

/** The sections between the basics and the stacks' parameters, in page order (each needs only the line). */
const LINE_SECTIONS = [StacksSection, AccountsSection, SizeAndUsage, ImagesSection] as const;

/**
 * The form's sections. Memoized, so the workspace's own re-renders (react-hook-form renders it
 * again as soon as the form is ready, while the page is still hydrating) leave them alone.
 */
const PlanSections = memo(function PlanSections({ lines, line, load, onSwitch, onPrefetch }: LineSwitch & { onPrefetch: (id: LineId) => void }) {
  return (
    <>
      {/* A boundary per section: React hydrates them one by one, yielding in between, instead
          of in one long task (nothing here suspends; the server renders them all). */}
      <Suspense>
        <BasicsSection lines={lines} line={line} load={load} onSwitch={onSwitch} onPrefetch={onPrefetch} />
      </Suspense>
      {LINE_SECTIONS.map((Section, i) => (
        <Suspense key={i}>
          <Section line={line} />
        </Suspense>
      ))}
      {line.stacks.map((meta) => (
        <Suspense key={`${line.id}-${meta.id}`}>
          <StackParameters meta={meta} line={line} />
        </Suspense>
      ))}
    </>
  );
});
