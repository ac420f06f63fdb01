// Load balancers that face the internet without a certificate: what crosses the internet in clear,
// said on the plan form and the settings form (CloudFormation allows it; the console warns). Each
// release line lists its load balancers (templates/line.ts); this module only checks. Isomorphic.
import type { StackId } from '@/templates/stack';

/** A load balancer of a stack: the parameter choosing its scheme and the one giving its certificate. */
export interface ExposureRule {
  readonly stack: StackId;
  readonly scheme: string;
  readonly certificate: string;
  /** What would cross the internet in clear, and what to do about it. */
  readonly message: string;
}

/** The warning for a stack's values, with the field it is about, or undefined. */
export function exposureWarning(
  rules: readonly ExposureRule[],
  stackId: StackId,
  values: Readonly<Record<string, string | undefined>>,
): { key: string; message: string } | undefined {
  const exposed = rules.find((rule) => rule.stack === stackId && values[rule.scheme] === 'internet-facing' && (values[rule.certificate] ?? '').trim() === '');
  return exposed && { key: exposed.certificate, message: exposed.message };
}
