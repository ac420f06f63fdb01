import type { RunStackView } from '@/lib/deploy/types';

const ACTION_STYLE: Record<string, string> = {
  Add: 'text-ok',
  Modify: 'text-warn',
  Remove: 'text-bad',
};

function summary(stack: RunStackView): string {
  if (stack.status === 'unchanged') return `no changes${stack.statusReason && stack.statusReason !== 'No changes.' ? ` — ${stack.statusReason}` : ''}`;
  const changes = stack.changes ?? [];
  if (stack.action === 'recreate') {
    const removed = changes.filter((c) => c.action === 'Remove').length;
    return `delete, then create again: ${removed} resource${removed === 1 ? '' : 's'} removed, ${changes.length - removed} added from the template`;
  }
  const modified = changes.filter((c) => c.action === 'Modify').length;
  if (stack.action === 'delete' && modified > 0)
    return `first ${modified} change${modified === 1 ? '' : 's'} without which CloudFormation cannot delete it, then delete: ${changes.length - modified} resource${changes.length - modified === 1 ? '' : 's'} removed`;
  return `${stack.action}, ${changes.length} change${changes.length === 1 ? '' : 's'}`;
}

/** Every change of every stack in one view, replacements called out, before anything executes. */
export function ChangePreview({ stacks }: { stacks: readonly RunStackView[] }) {
  const replacements = stacks.flatMap((s) => (s.changes ?? []).filter((c) => c.replacement === 'True').map((c) => `${s.stackName}: ${c.logicalId}`));
  return (
    <section aria-labelledby="preview-heading" className="grid gap-3">
      <h2 id="preview-heading" className="text-xl font-semibold">Changes to approve</h2>
      {replacements.length > 0 && (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <strong>{replacements.length} resource{replacements.length === 1 ? ' is' : 's are'} replaced</strong> (deleted and created again): {replacements.join(', ')}.
        </p>
      )}
      {stacks.map((stack) => (
        <div key={stack.stackId} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <h3 className="font-semibold">
            {stack.position + 1}. <code>{stack.stackName}</code>{' '}
            <span className="text-sm font-normal text-slate-600">
              {summary(stack)}
              {stack.changesFromTemplate && stack.action !== 'recreate' && ' (from the template: its change set is made once the stacks it depends on exist)'}
            </span>
          </h3>
          {stack.changes && stack.changes.length > 0 && (
            <div className="relative mt-2 overflow-x-auto">
              <table className="w-full min-w-[36rem] text-left text-xs">
                <thead className="text-slate-600">
                  <tr>
                    <th scope="col" className="py-1 pr-3">Action</th>
                    <th scope="col" className="py-1 pr-3">Logical ID</th>
                    <th scope="col" className="py-1 pr-3">Type</th>
                    <th scope="col" className="py-1 pr-3">Replacement</th>
                    <th scope="col" className="py-1">What changes</th>
                  </tr>
                </thead>
                <tbody>
                  {stack.changes.map((change) => (
                    <tr key={`${change.action}/${change.logicalId}`} className={`border-t border-slate-100 ${change.replacement === 'True' ? 'bg-amber-50' : ''}`}>
                      <td className={`py-1 pr-3 font-medium ${ACTION_STYLE[change.action] ?? ''}`}>{change.action}</td>
                      <td className="py-1 pr-3 font-mono">{change.logicalId}</td>
                      <td className="py-1 pr-3 font-mono">{change.resourceType}</td>
                      <td className="py-1 pr-3">{change.replacement === 'True' ? <strong className="text-bad">Replaced</strong> : (change.replacement ?? '—')}</td>
                      <td className="py-1">{[...(change.scope ?? []), ...(change.details ?? [])].join(', ') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
