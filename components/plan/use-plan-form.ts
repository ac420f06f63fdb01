'use client';

import { startTransition, useCallback, useEffect, useMemo, useState } from 'react';
import { useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { firstInPageOrder, flattenErrors, revealAndFocus } from '@/components/form/field-errors';
import { fieldId } from '@/components/ui/field';
import { defaultPlan, type Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';
import { checkedPlan, lazyPlanResolver, lineFor } from './plan-resolver';
import { clearPlan, loadPlan, loadStashed, savePlan, stashPlan } from './plan-storage';

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

/**
 * The plan form (react-hook-form): checked by its line's schema, the one the server uses too
 * (loaded after first paint), when a field is left, then on every change, and whole on submit;
 * restored from storage after mount, saved on every change, and checked in the background so the
 * launch outputs always reflect the latest valid plan. `lines` are the release lines offered, the
 * default one first. Only what shows a value subscribes to it: typing re-renders that field.
 */
export function usePlanForm(lines: readonly LineMeta[]) {
  const resolver = useMemo(() => lazyPlanResolver(lines), [lines]);
  const [initial] = useState(() => defaultPlan(lines[0]!));
  const form = useForm<Plan, unknown, Plan>({
    resolver,
    defaultValues: initial,
    mode: 'onTouched',
    reValidateMode: 'onChange',
    // The first field to fix is found in page order (focusFirstError), not in registration order.
    shouldFocusError: false,
  });
  const release = useWatch({ control: form.control, name: 'release' });
  const line = lineFor(lines, { release });
  const [livePlan, setLivePlan] = useState<Plan | undefined>();
  const [restored, setRestored] = useState(false);

  useEffect(() => {
    const stored = loadPlan((id) => {
      const known = lines.find((l) => l.id === id);
      return known && defaultPlan(known);
    });
    if (stored) form.reset(stored, RESET);
    // Storage is only readable after hydration, so this one extra render is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRestored(true);
  }, [lines, form]);

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
        savePlan(values, lineFor(lines, values).stacks);
        const plan = await checkedPlan(resolver, values);
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
  }, [restored, form, lines, resolver]);

  /** Shows another release line's plan, keeping this one's for when the user comes back. */
  const switchLine = useCallback(
    (id: LineId) => {
      const to = lines.find((l) => l.id === id);
      const from = lineFor(lines, form.getValues());
      if (!to || to.id === from.id) return;
      setLivePlan(undefined);
      form.reset(switchedPlan(structuredClone(form.getValues()), from, to), RESET);
    },
    [lines, form],
  );

  /** Back to the line's defaults (the line stays chosen; other lines keep their plans). */
  function resetLine() {
    clearPlan();
    form.reset(defaultPlan(lineFor(lines, form.getValues())), RESET);
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

  return { form, line, livePlan, restored, applyServerErrors, planChecked, switchLine, resetLine };
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
