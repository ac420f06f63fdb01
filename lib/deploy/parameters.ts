// The parameters one stack is launched with: the plan's values, upstream outputs for pending
// inputs, secrets held for this run, and UsePreviousValue where a value must stay as it is.
import 'server-only';
import type { PlanStack } from '@/lib/params/plan';
import { toSdkParameters, type SdkParameter } from '@/lib/params/sdk';
import type { StackId } from '@/templates/stack';

export const MASKED = '****';
export const PREVIOUS = '(previous value)';

export interface ParameterInput {
  stack: PlanStack;
  /** Outputs of the stacks this one reads from, by stack id. */
  upstreamOutputs: Partial<Record<StackId, Record<string, string>>>;
  /** NoEcho values given for this run. */
  secrets: Record<string, string>;
  /** The deployed stack's current parameter keys, when it exists. */
  existingKeys?: readonly string[];
  /** Day-2 operations: only these keys change; the rest keep their previous values. */
  overrides?: Record<string, string>;
}

export interface ResolvedParameters {
  parameters: SdkParameter[];
  /** The same values for the run record: NoEcho masked, kept ones marked. */
  recorded: Record<string, string>;
  /** Pending inputs whose upstream output is not known yet. */
  unresolved: string[];
}

export function resolveParameters({ stack, upstreamOutputs, secrets, existingKeys, overrides }: ParameterInput): ResolvedParameters {
  const values: Record<string, string> = { ...stack.values };
  const unresolved: string[] = [];
  for (const [key, pending] of Object.entries(stack.pending)) {
    const value = upstreamOutputs[pending.stack]?.[pending.output];
    if (value === undefined) unresolved.push(key);
    else values[key] = value;
  }
  const exists = existingKeys !== undefined;
  const keep = new Set<string>();
  for (const spec of stack.meta.parameters) {
    const wasThere = existingKeys?.includes(spec.key) ?? false;
    if (overrides) {
      if (spec.key in overrides) values[spec.key] = overrides[spec.key]!;
      else if (wasThere) keep.add(spec.key);
      continue;
    }
    if (!spec.noEcho) continue;
    const secret = secrets[spec.key];
    if (secret !== undefined && secret !== '') values[spec.key] = secret;
    else if (exists && wasThere) keep.add(spec.key);
    else delete values[spec.key];
  }
  const parameters = toSdkParameters(stack.meta.parameters, values, [...keep]);
  const recorded = Object.fromEntries(
    parameters.map((p) => {
      if ('UsePreviousValue' in p) return [p.ParameterKey, PREVIOUS];
      const noEcho = stack.meta.parameters.find((s) => s.key === p.ParameterKey)?.noEcho;
      return [p.ParameterKey, noEcho && p.ParameterValue !== '' ? MASKED : p.ParameterValue];
    }),
  );
  return { parameters, recorded, unresolved };
}
