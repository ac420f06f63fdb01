// The settings form of a deployment: each setting of the plan's stacks with its spec, its value
// now, and the warning when changing it makes the run recreate the stacks importing from it.
import 'server-only';
import { exportChangeWarnings, inTheRun } from '@/lib/params/export-changes';
import { filledKeys, isIncluded, type Plan } from '@/lib/params/plan';
import { SETTING_KEYS } from '@/lib/params/settings';
import { stackById } from '@/templates';
import { toMeta, type StackId } from '@/templates/stack';
import { exportChanges } from './replacements';

export interface SettingFieldData {
  stackId: StackId;
  key: string;
  label: string;
  help: string;
  options?: readonly string[];
  current: string;
  warning?: string;
}

export function settingFields(plan: Plan): SettingFieldData[] {
  const warnings = exportChangeWarnings(exportChanges(), plan);
  return (Object.entries(SETTING_KEYS) as [StackId, readonly string[]][])
    .filter(([id]) => isIncluded(plan, id))
    .flatMap(([id, keys]) => {
      // Values the plan fills itself (the new VPC's public subnets) are not the deployer's to set.
      const filled = filledKeys(toMeta(stackById(id)), plan);
      return keys.filter((key) => !filled.includes(key)).map((key) => {
        const spec = stackById(id).parameters.find((p) => p.key === key)!;
        const warning = warnings.find((w) => w.stackId === id && w.parameter === key);
        return { stackId: id, key, label: spec.label, help: spec.description, options: spec.allowedValues, current: plan.params[id]?.[key] ?? spec.default ?? '', warning: warning && inTheRun(warning) };
      });
    });
}
