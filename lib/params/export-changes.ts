// Parameter changes that change exports other stacks import, as warnings for a plan: the settings
// form, deploy.sh and the CLI update commands say the same. The changes themselves are found on the
// server from the templates (lib/plan/replacements.ts). Isomorphic.
import { andList } from '@/lib/text';
import type { StackId, StackMeta } from '@/templates/stack';
import { includedIn, type Plan } from './plan';

export interface ExportChange {
  stackId: StackId;
  parameter: string;
  /** Resources the change replaces. */
  replaced: string[];
  /** Output keys whose exported values change. */
  exports: string[];
  /** Stacks that import one of those exports. */
  importers: StackId[];
  /** Those and every stack importing from them: what must be deleted first and created again, in order. */
  recreate: StackId[];
}

export interface ExportChangeWarning {
  stackId: StackId;
  parameter: string;
  /** What the change does to the stacks that import from this one, as one sentence without its full stop. */
  what: string;
  /** Stack names to delete first and create again after, in creation order. */
  recreate: string[];
}

type PlanShape = Pick<Plan, 'network' | 'include' | 'stackNames'>;

/** The warnings for the plan's stacks (importers the plan leaves out are not deployed and do not block); `metas` are its line's stacks. */
export function exportChangeWarnings(changes: readonly ExportChange[], plan: PlanShape, metas: readonly StackMeta[]): ExportChangeWarning[] {
  const included = includedIn(plan, metas);
  const nameOf = (id: StackId) => plan.stackNames[id] ?? metas.find((m) => m.id === id)?.stem ?? id;
  return changes.flatMap((change) => {
    const importers = change.importers.filter(included).map(nameOf);
    if (!included(change.stackId) || importers.length === 0) return [];
    const replaced = change.replaced.length > 0 ? `replaces ${andList(change.replaced)} and ` : '';
    return [
      {
        stackId: change.stackId,
        parameter: change.parameter,
        what: `Changing ${change.parameter} of ${nameOf(change.stackId)} ${replaced}changes its exports ${andList(change.exports)}, which ${andList(importers)} import${importers.length === 1 ? 's' : ''}: CloudFormation refuses that update half-way ("Cannot update export … as it is in use by …") and rolls it back`,
        recreate: change.recreate.filter(included).map(nameOf),
      },
    ];
  });
}

/** The warning as advice for someone updating by hand (the AWS CLI, deploy.sh). */
export const byHand = (warning: ExportChangeWarning) =>
  `${warning.what}. Delete ${andList([...warning.recreate].reverse())} first (in that order), update the stack, then create ${warning.recreate.length === 1 ? 'it' : 'them'} again.`;

/** The warning on the console's settings form, where the run takes care of it. */
export const inTheRun = (warning: ExportChangeWarning) =>
  `${warning.what}. The run therefore deletes ${andList([...warning.recreate].reverse())} first and creates ${warning.recreate.length === 1 ? 'it' : 'them'} again after the change; you confirm before anything changes.`;
