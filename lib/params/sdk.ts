// Parameters in the shape of CreateStack/CreateChangeSet and of the AWS CLI's JSON parameter files.
import type { ParamSpec } from './spec';

export type SdkParameter = { ParameterKey: string; ParameterValue: string } | { ParameterKey: string; UsePreviousValue: true };

/**
 * One entry per spec present in `values`; keys in `usePrevious` become UsePreviousValue (how
 * updates keep NoEcho values and anything the user did not touch).
 */
export function toSdkParameters(
  specs: readonly ParamSpec[],
  values: Readonly<Record<string, string>>,
  usePrevious: readonly string[] = [],
): SdkParameter[] {
  return specs.flatMap((spec): SdkParameter[] => {
    if (usePrevious.includes(spec.key)) return [{ ParameterKey: spec.key, UsePreviousValue: true }];
    const value = values[spec.key];
    return value === undefined ? [] : [{ ParameterKey: spec.key, ParameterValue: value }];
  });
}
