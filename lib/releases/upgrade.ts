// A release upgrade within a line: the parameter values a newer release's manifest sets in a
// deployment's stacks (its images where the line puts them, its template changes), and what
// changes from the values the deployment runs now, for the deployment page. Pure.
import type { Operation } from '@/lib/deploy/scope';
import { isIncluded, type Plan } from '@/lib/params/plan';
import type { ReleaseLine } from '@/templates/line';
import { imageReference } from '@/templates/release-images';
import type { ReleaseManifest } from '@/templates/release-manifest';
import type { StackId } from '@/templates/stack';

export type UpgradeOperation = Extract<Operation, { kind: 'upgrade-release' }>;

/** The values the release sets, per stack of the line (included or not: the run scopes them). */
export function upgradeOperation(line: ReleaseLine, manifest: ReleaseManifest): UpgradeOperation {
  const parameters: Partial<Record<StackId, Record<string, string>>> = {};
  for (const { stack, parameter, image } of line.releases?.images ?? []) {
    const ref = manifest.images[image];
    if (ref) (parameters[stack] ??= {})[parameter] = imageReference(ref);
  }
  for (const change of manifest.templateChanges) (parameters[change.stack] ??= {})[change.parameter] = change.value;
  return { kind: 'upgrade-release', version: manifest.version, parameters, notes: manifest.notes };
}

/** One value an upgrade changes in a stack the deployment has. */
export interface UpgradeChange {
  stackId: StackId;
  stackTitle: string;
  parameter: string;
  from: string;
  to: string;
}

/** What the upgrade changes in the plan's included stacks, from the values they run with now (unchanged values left out). */
export function upgradeChanges(plan: Plan, line: ReleaseLine, operation: UpgradeOperation): UpgradeChange[] {
  return line.stacks
    .filter((stack) => isIncluded(plan, stack))
    .flatMap((stack) =>
      Object.entries(operation.parameters[stack.id] ?? {}).flatMap(([parameter, to]) => {
        const from = plan.params[stack.id]?.[parameter] || stack.parameters.find((p) => p.key === parameter)?.default || '';
        return from === to ? [] : [{ stackId: stack.id, stackTitle: stack.title, parameter, from, to }];
      }),
    );
}
