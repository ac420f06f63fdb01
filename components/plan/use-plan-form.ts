'use client';

import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { revealAndFocus, type Checked, type FieldErrors } from '@/components/form/form-store';
import { useForm, useValues } from '@/components/form/use-form';
import { fieldId } from '@/components/ui/field';
import { defaultPlan, releaseOf, type Plan } from '@/lib/params/plan';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';
import type { PlanCheck } from './plan-checks';
import { clearPlan, loadPlan, loadStashed, savePlan, stashPlan } from './plan-storage';

/** What the form says when the checks themselves could not be loaded (offline, or a new release). */
export const CHECKS_UNAVAILABLE = 'The plan checks could not be loaded: check the connection, then try again (or reload the page).';

/** The field errors as [path, message] pairs, in the order the check reported them. */
export function flattenErrors(errors: FieldErrors): [string, string][] {
  return Object.entries(errors).map(([path, error]) => [path, error.message]);
}

/** The line a plan is on, among those the page offers (the first, the default, when it names none of them). */
export const lineFor = (lines: readonly LineMeta[], plan: Pick<Plan, 'release'>): LineMeta => lines.find((l) => l.id === releaseOf(plan)) ?? lines[0]!;

/**
 * The plan's check, loaded once on first use (the first check, or the background validation
 * just after the page appears), and made once per release line. A failed load is forgotten, so
 * the next use tries again.
 */
function lazyCheck(lines: readonly LineMeta[]) {
  let loading: Promise<typeof import('./plan-checks')> | undefined;
  const made = new Map<LineId, PlanCheck>();
  const load = () =>
    (loading ??= import('./plan-checks').catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  return async (values: Plan): Promise<Checked<Plan>> => {
    let checks: typeof import('./plan-checks');
    try {
      checks = await load();
    } catch {
      return { ok: false, errors: {}, formError: CHECKS_UNAVAILABLE };
    }
    const line = lineFor(lines, values);
    let check = made.get(line.id);
    if (!check) made.set(line.id, (check = checks.planChecks(line)));
    return check(values);
  };
}

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

/**
 * The plan form: checked by its line's schema, the one the server uses too (loaded after first
 * paint), on blur, then on every change, and whole on submit; restored from storage after mount,
 * saved on every change, and checked in the background so the launch outputs always reflect the
 * latest valid plan. `lines` are the release lines offered, the default one first.
 */
export function usePlanForm(lines: readonly LineMeta[]) {
  const check = useMemo(() => lazyCheck(lines), [lines]);
  const [initial] = useState(() => defaultPlan(lines[0]!));
  const form = useForm<Plan, Plan>(initial, check);
  const [livePlan, setLivePlan] = useState<Plan | undefined>();
  const [restored, setRestored] = useState(false);
  const values = useValues(form);
  const line = lineFor(lines, values);
  const generation = useRef(0);

  useEffect(() => {
    const stored = loadPlan((release) => {
      const known = lines.find((l) => l.id === release);
      return known && defaultPlan(known);
    });
    if (stored) form.reset(stored);
    // Storage is only readable after hydration, so this one extra render is the point.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRestored(true);
  }, [lines, form]);

  useEffect(() => {
    if (!restored) return;
    const run = ++generation.current;
    const timer = setTimeout(async () => {
      savePlan(values, line.stacks);
      const result = await check(values);
      // A transition: React draws the launch steps and the estimate in slices, so typing and the
      // page's first seconds never wait on one long task.
      if (run === generation.current) startTransition(() => setLivePlan(result.ok ? result.value : undefined));
    }, 250);
    return () => clearTimeout(timer);
  }, [values, restored, line, check]);

  /** Shows another release line's plan, keeping this one's for when the user comes back. */
  function switchLine(id: LineId) {
    const to = lines.find((l) => l.id === id);
    if (!to || to.id === line.id) return;
    setLivePlan(undefined);
    form.reset(switchedPlan(form.getValues(), line, to));
  }

  /** Back to the line's defaults (the line stays chosen; other lines keep their plans). */
  function resetLine() {
    clearPlan();
    form.reset(defaultPlan(line));
  }

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

  return { form, line, livePlan, restored, applyServerErrors, planChecked, switchLine, resetLine };
}

export function focusField(path: string) {
  const element = document.getElementById(fieldId(path));
  if (element) revealAndFocus(element);
}
