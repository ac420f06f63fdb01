import { statefulReplacements } from '@/lib/cfn/stateful';
import type { RunStackView } from '@/lib/deploy/types';
import type { StackId } from '@/templates/stack';
import { ChangeTable } from './change-table';
import { WiredInputs } from './wired-inputs';

function summary(stack: RunStackView): string {
  if (stack.status === 'unchanged') return `no changes${stack.statusReason && stack.statusReason !== 'No changes.' ? ` — ${stack.statusReason}` : ''}`;
  const changes = stack.changes ?? [];
  const nested = stack.childChanges?.length ? ` and ${stack.childChanges.length} nested stack${stack.childChanges.length === 1 ? '' : 's'}` : '';
  if (stack.action === 'recreate') {
    const removed = changes.filter((c) => c.action === 'Remove').length;
    return `delete, then create again: ${removed} resource${removed === 1 ? '' : 's'} removed, ${changes.length - removed} added from the template`;
  }
  const modified = changes.filter((c) => c.action === 'Modify').length;
  if (stack.action === 'delete' && modified > 0)
    return `first ${modified} change${modified === 1 ? '' : 's'} without which CloudFormation cannot delete it, then delete: ${changes.length - modified} resource${changes.length - modified === 1 ? '' : 's'} removed${nested}`;
  return `${stack.action}, ${changes.length} change${changes.length === 1 ? '' : 's'}${nested}`;
}

const childName = (child: NonNullable<RunStackView['childChanges']>[number]) => (child.title ? `${child.title} (${child.path})` : child.path);

/**
 * Every change of every stack (and of its nested stacks, under it) in one view, replacements called
 * out, before anything executes; grouped by AWS account when the plan spans several (`accounts`).
 */
export function ChangePreview({ stacks, accounts }: { stacks: readonly RunStackView[]; accounts?: readonly { label: string; stacks: readonly StackId[] }[] }) {
  const replacements = stacks.flatMap((s) => [
    ...(s.changes ?? []).filter((c) => c.replacement === 'True').map((c) => `${s.stackName}: ${c.logicalId}`),
    ...(s.childChanges ?? []).flatMap((child) => child.changes.filter((c) => c.replacement === 'True').map((c) => `${s.stackName} › ${childName(child)}: ${c.logicalId}`)),
  ]);
  const stateful = stacks.flatMap((s) => [
    ...statefulReplacements(s.stackName, s.changes ?? []),
    ...(s.childChanges ?? []).flatMap((child) => statefulReplacements(`${s.stackName} › ${childName(child)}`, child.changes)),
  ]);
  return (
    <section aria-labelledby="preview-heading" className="grid gap-3">
      <h2 id="preview-heading" className="text-xl font-semibold">Changes to approve</h2>
      {stateful.length > 0 && (
        <div role="note" aria-label="Data at risk" className="rounded border border-bad bg-red-50 p-3 text-sm">
          <strong className="text-bad">This update replaces {stateful.length === 1 ? 'a resource that holds' : `${stateful.length} resources that hold`} data.</strong>
          <ul className="mt-1 list-disc pl-5">
            {stateful.map((r) => (
              <li key={`${r.where}/${r.logicalId}`}>
                {r.where}: <code>{r.logicalId}</code> ({r.resourceType}): {r.loss}.
              </li>
            ))}
          </ul>
        </div>
      )}
      {replacements.length > 0 && (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <strong>{replacements.length} resource{replacements.length === 1 ? ' is' : 's are'} replaced</strong> (deleted and created again): {replacements.join(', ')}.
        </p>
      )}
      {accounts
        ? accounts.map((group) => {
            const inGroup = stacks.filter((s) => group.stacks.includes(s.stackId));
            if (inGroup.length === 0) return null;
            return (
              <section key={group.label} aria-label={`Changes in ${group.label}`} className="grid gap-2" data-preview-account={group.label}>
                <h3 className="text-lg font-semibold">In {group.label}</h3>
                {inGroup.map((stack) => (
                  <StackChanges key={stack.stackId} stack={stack} />
                ))}
              </section>
            );
          })
        : stacks.map((stack) => <StackChanges key={stack.stackId} stack={stack} />)}
    </section>
  );
}

function StackChanges({ stack }: { stack: RunStackView }) {
  return (
    <div className="grid gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-preview-stack={stack.stackId}>
      <h3 className="font-semibold">
        {stack.position + 1}. <code>{stack.stackName}</code>{' '}
        <span className="text-sm font-normal text-slate-600">
          {summary(stack)}
          {stack.changesFromTemplate && stack.action !== 'recreate' && ' (from the template: its change set is made once the stacks it depends on exist)'}
        </span>
      </h3>
      {stack.inputs && stack.inputs.length > 0 && <WiredInputs stackName={stack.stackName} inputs={stack.inputs} />}
      {stack.changes && stack.changes.length > 0 && <ChangeTable changes={stack.changes} label={`Changes to ${stack.stackName}`} />}
      {stack.childChanges?.map((child) => (
        <details key={child.path} className="ml-3 border-l-2 border-slate-200 pl-3">
          <summary className="cursor-pointer text-sm">
            Nested stack <strong>{childName(child)}</strong>: {child.changes.length} change{child.changes.length === 1 ? '' : 's'}
            {child.changes.some((c) => c.replacement === 'True') && <strong className="text-bad"> (replacements)</strong>}
          </summary>
          <ChangeTable changes={child.changes} label={`Changes to ${stack.stackName} nested stack ${childName(child)}`} />
        </details>
      ))}
    </div>
  );
}
