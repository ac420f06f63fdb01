'use client';

import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { firstInPageOrder, flattenErrors, revealAndFocus } from '@/components/form/field-errors';
import { fieldId } from '@/components/ui/field';
import { defaultPlan, type Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';
import { checkedByServer, checkedPlan, lazyPlanResolver, lineFor } from './plan-resolver';
import type { LineCache, LineChoice, LineLoad } from './line-cache';
import { clearPlan, loadPlan, loadStashed, rememberLine, savePlan, stashPlan, stashStored, storedRelease } from './plan-storage';

/**
 * Switching from `current` (on line `from`) to line `to`: keeps `current` for when the user comes
 * back, and gives the plan to show on `to`: what was kept for it, or its defaults with the name,
 * region and usage assumptions carried over (they mean the same on every line).
 */
export function switchedPlan(current: Plan, from: LineMeta, to: LineMeta): Plan {
  stashPlan(current, from.stacks);
  const defaults = defaultPlan(to);
  return loadStashed(defaults) ?? { ...defaults, name: current.name, region: current.region, usage: current.usage && { ...current.usage } };
}

// Fields that stay mounted keep their bindings through a reset (their values are written into
// them), so a section that does not re-render still reports its changes.
const RESET = { keepFieldsRef: true } as const;

const IDLE: LineLoad = { status: 'idle' };

/**
 * The plan form (react-hook-form): checked by its line's schema, the one the server uses too
 * (loaded after first paint), when a field is left, then on every change, and whole on submit;
 * restored from storage after mount, saved on every change, and checked in the background so the
 * launch outputs always reflect the latest valid plan. `cache` holds the lines loaded so far (the
 * page's first); `choices` are every line offered. Only what shows a value subscribes to it:
 * typing re-renders that field.
 */
export function usePlanForm(cache: LineCache, choices: readonly LineChoice[]) {
  const resolver = useMemo(() => lazyPlanResolver(() => cache.metas()), [cache]);
  const [initial] = useState(() => defaultPlan(cache.initial.meta));
  const form = useForm<Plan, unknown, Plan>({
    resolver,
    defaultValues: initial,
    mode: 'onTouched',
    reValidateMode: 'onChange',
    // The first field to fix is found in page order (focusFirstError), not in registration order.
    shouldFocusError: false,
  });
  const release = useWatch({ control: form.control, name: 'release' });
  // The form only ever holds a plan of a loaded line.
  const line = lineFor(cache.metas(), { release });
  const [livePlan, setLivePlan] = useState<Plan | undefined>();
  const [restored, setRestored] = useState(false);
  const [load, setLoad] = useState<LineLoad>(IDLE);
  /** The line the user asked for last: a slower answer for a line asked for before does not switch. */
  const wanted = useRef<LineId | undefined>(undefined);

  const titleOf = useCallback((id: LineId) => choices.find((c) => c.id === id)?.title ?? id, [choices]);
  const failed = useCallback(
    (id: LineId, error: unknown) => setLoad({ status: 'error', id, message: `The fields of the ${titleOf(id)} line could not be loaded: ${(error as Error).message} What you entered is kept.` }),
    [titleOf],
  );

  useEffect(() => {
    let live = true;
    const restore = () => {
      const stored = loadPlan((id) => {
        const known = cache.get(id);
        return known && defaultPlan(known.meta);
      });
      if (stored) form.reset(stored, RESET);
      setRestored(true);
    };
    const release = storedRelease();
    const offered = choices.find((c) => c.id === release);
    if (!offered || cache.get(offered.id)) {
      // Storage is only readable after hydration, so this one extra render is the point.
      restore();
      return;
    }
    // The plan in storage is on a line the page did not come with (the cookie that says which
    // was missing): its fields first. Should they not come, the plan is kept for that line.
    wanted.current = offered.id;
    // Says so at once: the stored plan only shows once its line is there.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setLoad({ status: 'loading', id: offered.id });
    cache.load(offered.id).then(
      () => {
        if (!live) return;
        setLoad(IDLE);
        if (wanted.current === offered.id) restore();
        else {
          stashStored();
          setRestored(true);
        }
      },
      (error: unknown) => {
        if (!live) return;
        stashStored();
        const kept = loadStashed(defaultPlan(cache.initial.meta));
        if (kept) form.reset(kept, RESET);
        failed(offered.id, error);
        setRestored(true);
      },
    );
    return () => {
      live = false;
    };
  }, [cache, choices, form, failed]);

  useEffect(() => {
    if (!restored) return;
    let generation = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The form tells its subscribers of other changes too (errors, touched fields): only a change
    // of the values is saved and checked, so the estimate is not asked for again on a blur.
    let last: string | undefined;
    const changed = () => {
      const snapshot = JSON.stringify(form.getValues());
      if (snapshot === last) return;
      last = snapshot;
      const run = ++generation;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const values = JSON.parse(snapshot) as Plan;
        savePlan(values, lineFor(cache.metas(), values).stacks);
        // A plan still at its line's defaults was checked by the server: the checks load with the first change.
        const known = checkedByServer(cache.get(lineFor(cache.metas(), values).id), values);
        const plan = known ? known.plan : await checkedPlan(resolver, values);
        // A transition: React draws the launch steps and the estimate in slices, so typing and the
        // page's first seconds never wait on one long task.
        if (run === generation) startTransition(() => setLivePlan(plan));
      }, 250);
    };
    changed();
    const unsubscribe = form.subscribe({ formState: { values: true }, callback: changed });
    return () => {
      unsubscribe();
      clearTimeout(timer);
      generation += 1;
    };
  }, [restored, form, cache, resolver]);

  /**
   * Shows another release line's plan, keeping this one's for when the user comes back; a line
   * not loaded yet is fetched first (the form stays as it is, and usable, meanwhile).
   */
  const switchLine = useCallback(
    (id: LineId) => {
      wanted.current = id;
      const show = (to: LineMeta) => {
        const from = lineFor(cache.metas(), form.getValues());
        setLoad(IDLE);
        if (to.id === from.id) return;
        setLivePlan(undefined);
        form.reset(switchedPlan(structuredClone(form.getValues()), from, to), RESET);
        rememberLine(to.id);
      };
      const ready = cache.get(id);
      if (ready) return show(ready.meta);
      if (!choices.some((c) => c.id === id)) return;
      setLoad({ status: 'loading', id });
      cache.load(id).then(
        (loaded) => {
          if (wanted.current === id) show(loaded.meta);
        },
        (error: unknown) => {
          if (wanted.current === id) failed(id, error);
        },
      );
    },
    [cache, choices, form, failed],
  );

  /** Loads a line ahead of a switch (the pointer is on its choice), quietly: a failure shows when the user chooses it. */
  const prefetchLine = useCallback((id: LineId) => void cache.load(id).catch(() => undefined), [cache]);

  /** Back to the line's defaults (the line stays chosen; other lines keep their plans). */
  function resetLine() {
    clearPlan();
    form.reset(defaultPlan(lineFor(cache.metas(), form.getValues())), RESET);
  }

  /** Puts server-side field errors onto the form (each stays until its field is checked again) and focuses the first one. */
  function applyServerErrors(fieldErrors: Record<string, string>) {
    for (const [path, message] of Object.entries(fieldErrors)) form.setError(path as 'name', { type: 'server', message });
    focusFirstError(Object.keys(fieldErrors));
  }

  /**
   * A plan a submit just found valid. The background check may have found nothing (its checks
   * could not be loaded then): the launch outputs follow this one until the next change.
   */
  function planChecked(plan: Plan) {
    setLivePlan((current) => current ?? plan);
  }

  return { form, line, livePlan, restored, load, applyServerErrors, planChecked, switchLine, prefetchLine, resetLine };
}

/** The control of a field: by its id, or by name for a group of radios. */
function controlOf(path: string): HTMLElement | null {
  return document.getElementById(fieldId(path)) ?? document.querySelector<HTMLElement>(`[name="${CSS.escape(path)}"]`);
}

export function focusField(path: string) {
  const control = controlOf(path);
  if (control) revealAndFocus(control);
}

/** Focuses the first field, in page order, of those with errors (paths, or the form's errors). */
export function focusFirstError(errors: readonly string[] | FieldErrors) {
  const paths = Array.isArray(errors) ? errors : flattenErrors(errors as FieldErrors).map(([path]) => path);
  const first = firstInPageOrder(paths.map(controlOf).filter((c): c is HTMLElement => c !== null));
  if (first) revealAndFocus(first);
}
