'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useRef, useState } from 'react';
import { get, useForm, useWatch, type FieldErrors, type Path } from 'react-hook-form';
import { createPlanSchema, type Plan, type PlanInput } from '@/lib/params/plan';
import type { StackMeta } from '@/templates/stack';
import { loadPlan, savePlan } from './plan-storage';

/** The error message at a dotted field path, if any. */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const entry: unknown = get(errors, path);
  return entry && typeof entry === 'object' && 'message' in entry && typeof entry.message === 'string' ? entry.message : undefined;
}

/** Flattens react-hook-form errors into [path, message] pairs, in form order. */
export function flattenErrors(errors: FieldErrors, prefix = ''): [string, string][] {
  return Object.entries(errors).flatMap(([key, value]) => {
    if (!value || typeof value !== 'object') return [];
    const path = prefix ? `${prefix}.${key}` : key;
    if ('message' in value && typeof value.message === 'string') return [[path, value.message] as [string, string]];
    return flattenErrors(value as FieldErrors, path);
  });
}

/**
 * The plan form: zod-validated (the schema the server uses too), restored from storage after
 * mount, saved on every change, and re-validated in the background so the launch outputs always
 * reflect the latest valid plan.
 */
export function usePlanForm(metas: readonly StackMeta[], defaults: Plan) {
  const schema = useMemo(() => createPlanSchema(metas), [metas]);
  const form = useForm<PlanInput, unknown, Plan>({
    resolver: zodResolver(schema),
    defaultValues: defaults,
    mode: 'onTouched',
    reValidateMode: 'onChange',
  });
  const [livePlan, setLivePlan] = useState<Plan | undefined>();
  const [restored, setRestored] = useState(false);
  const values = useWatch({ control: form.control });
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
    const current = form.getValues() as Plan;
    const run = ++generation.current;
    const timer = setTimeout(async () => {
      savePlan(current, metas);
      const result = await schema.safeParseAsync(current);
      if (run === generation.current) setLivePlan(result.success ? result.data : undefined);
    }, 250);
    return () => clearTimeout(timer);
  }, [values, restored, form, metas, schema]);

  /** Puts server-side field errors onto the form and focuses the first one. */
  function applyServerErrors(fieldErrors: Record<string, string>) {
    const entries = Object.entries(fieldErrors);
    for (const [path, message] of entries) form.setError(path as Path<PlanInput>, { type: 'server', message });
    const first = entries[0]?.[0];
    if (first) focusField(first);
  }

  return { form, schema, livePlan, restored, applyServerErrors };
}

export function focusField(path: string) {
  const element = document.getElementById(`field-${path.replace(/\./g, '-')}`);
  element?.closest('details')?.setAttribute('open', '');
  element?.focus();
}
