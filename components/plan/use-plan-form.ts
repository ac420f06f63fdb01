'use client';

import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { revealAndFocus, type Checked, type FieldErrors } from '@/components/form/form-store';
import { useForm, useValues } from '@/components/form/use-form';
import { fieldId } from '@/components/ui/field';
import type { Plan } from '@/lib/params/plan';
import type { StackMeta } from '@/templates/stack';
import type { PlanCheck } from './plan-checks';
import { loadPlan, savePlan } from './plan-storage';

/** What the form says when the checks themselves could not be loaded (offline, or a new release). */
export const CHECKS_UNAVAILABLE = 'The plan checks could not be loaded: check the connection, then try again (or reload the page).';

/** The field errors as [path, message] pairs, in the order the check reported them. */
export function flattenErrors(errors: FieldErrors): [string, string][] {
  return Object.entries(errors).map(([path, error]) => [path, error.message]);
}

/**
 * The plan's check, loaded once on first use (the first check, or the background validation
 * just after the page appears). A failed load is forgotten, so the next use tries again.
 */
function lazyCheck(metas: readonly StackMeta[]) {
  let loading: Promise<PlanCheck> | undefined;
  const load = () =>
    (loading ??= import('./plan-checks').then(
      (module) => module.planChecks(metas),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  return async (values: Plan): Promise<Checked<Plan>> => {
    let check: PlanCheck;
    try {
      check = await load();
    } catch {
      return { ok: false, errors: {}, formError: CHECKS_UNAVAILABLE };
    }
    return check(values);
  };
}

/**
 * The plan form: checked by the schema the server uses too (loaded after first paint) on blur,
 * then on every change, and whole on submit; restored from storage after mount, saved on every
 * change, and checked in the background so the launch outputs always reflect the latest valid plan.
 */
export function usePlanForm(metas: readonly StackMeta[], defaults: Plan) {
  const check = useMemo(() => lazyCheck(metas), [metas]);
  const form = useForm<Plan, Plan>(defaults, check);
  const [livePlan, setLivePlan] = useState<Plan | undefined>();
  const [restored, setRestored] = useState(false);
  const values = useValues(form);
  const generation = useRef(0);

  useEffect(() => {
    const stored = loadPlan(defaults);
    if (stored) form.reset(stored);
    // Storage is only readable after hydration, so this one extra render is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRestored(true);
  }, [defaults, form]);

  useEffect(() => {
    if (!restored) return;
    const run = ++generation.current;
    const timer = setTimeout(async () => {
      savePlan(values, metas);
      const result = await check(values);
      // A transition: React draws the launch steps and the estimate in slices, so typing and the
      // page's first seconds never wait on one long task.
      if (run === generation.current) startTransition(() => setLivePlan(result.ok ? result.value : undefined));
    }, 250);
    return () => clearTimeout(timer);
  }, [values, restored, metas, check]);

  /** Puts server-side field errors onto the form and focuses the first one. */
  function applyServerErrors(fieldErrors: Record<string, string>) {
    form.setErrors(fieldErrors, 'server');
    const first = Object.keys(fieldErrors)[0];
    if (first) focusField(first);
  }

  /**
   * A plan a submit just found valid. The background check may have found nothing (its checks
   * could not be loaded then): the launch outputs follow this one until the next change.
   */
  function planChecked(plan: Plan) {
    setLivePlan((current) => current ?? plan);
  }

  return { form, livePlan, restored, applyServerErrors, planChecked };
}

export function focusField(path: string) {
  const element = document.getElementById(fieldId(path));
  if (element) revealAndFocus(element);
}
