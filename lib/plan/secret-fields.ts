// The secret (NoEcho) fields a deploy run of a deployment takes: never stored with the deployment,
// given again for each run that may create or change the stacks holding them (a deploy, a resume).
import 'server-only';
import { isIncluded, type Plan } from '@/lib/params/plan';
import type { ParamSpec } from '@/lib/params/spec';
import { lineOf } from '@/templates';

export type SecretField = { stackId: string; key: string; label: string } & Pick<ParamSpec, 'generate' | 'sample'>;

/** The NoEcho parameters of the plan's stacks, each with what its spec may make (a password) or offer (a sample license). */
export function secretFields(plan: Plan): SecretField[] {
  return lineOf(plan)
    .stacks.filter((s) => isIncluded(plan, s))
    .flatMap((s) => s.parameters.filter((p) => p.noEcho).map((p) => ({ stackId: s.id, key: p.key, label: `${s.title}: ${p.label}`, generate: p.generate, sample: p.sample })));
}
