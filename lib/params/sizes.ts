// The plan's size choice: "Production" gives every sizing parameter its default (today's task
// counts), "Proof of concept" its proofOfConcept value (one task of every service). Derived from
// the parameter specs, so a new sizing parameter joins both sizes by having a proofOfConcept. Isomorphic.
import type { StackId, StackMeta } from '@/templates/stack';

export interface SizeParam {
  stackId: StackId;
  key: string;
  label: string;
  production: string;
  proofOfConcept: string;
}

/** The two sizes; what each means for a line's services is the line's to say (LineMeta.sizes). */
export const SIZES = [
  { id: 'production', label: 'Production' },
  { id: 'proof-of-concept', label: 'Proof of concept' },
] as const;

export type SizeId = (typeof SIZES)[number]['id'];

export function sizeParams(metas: readonly StackMeta[]): SizeParam[] {
  return metas.flatMap((meta) =>
    meta.parameters.flatMap((spec) =>
      spec.proofOfConcept === undefined ? [] : [{ stackId: meta.id, key: spec.key, label: spec.label, production: spec.default ?? '', proofOfConcept: spec.proofOfConcept }],
    ),
  );
}

export const sizeValue = (param: SizeParam, size: SizeId) => (size === 'production' ? param.production : param.proofOfConcept);

/** The size whose values every sizing parameter has, or undefined for custom counts. */
export function sizeOf(params: readonly SizeParam[], valueOf: (param: SizeParam) => string | undefined): SizeId | undefined {
  return SIZES.map((s) => s.id).find((size) => params.every((param) => valueOf(param) === sizeValue(param, size)));
}
