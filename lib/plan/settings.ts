// The settings form of a deployment: each setting its line lists for the plan's stacks, with its spec, its value
// now, and the warning when changing it makes the run recreate the stacks importing from it.
import 'server-only';
import { exportChangeWarnings, inTheRun } from '@/lib/params/export-changes';
import { filledKeys, includedIn, type Plan } from '@/lib/params/plan';
import { lineOf } from '@/templates';
import type { StackId } from '@/templates/stack';
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
  const line = lineOf(plan);
  const warnings = exportChangeWarnings(exportChanges(line.stacks), plan, line.stacks);
  const included = includedIn(plan, line.stacks);
  return (Object.entries(line.operations.settings) as [StackId, readonly string[]][])
    .filter(([id]) => included(id))
    .flatMap(([id, keys]) => {
      const meta = line.stacks.find((s) => s.id === id)!;
      // Values the plan fills itself (the new VPC's public subnets) are not the deployer's to set.
      const filled = filledKeys(meta, plan, line.stacks);
      return keys.filter((key) => !filled.includes(key)).map((key) => {
        const spec = meta.parameters.find((p) => p.key === key)!;
        const warning = warnings.find((w) => w.stackId === id && w.parameter === key);
        return { stackId: id, key, label: spec.label, help: spec.description, options: spec.allowedValues, current: plan.params[id]?.[key] ?? spec.default ?? '', warning: warning && inTheRun(warning) };
      });
    });
}
