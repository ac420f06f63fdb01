import type { Overview } from '@/lib/deploy/overview';
import { StatusBadge } from './status-badge';

export function StacksTable({ overview }: { overview: Overview }) {
  return (
    <section aria-labelledby="stacks-heading" className="grid gap-2">
      <h2 id="stacks-heading" className="text-xl font-semibold">Stacks</h2>
      {overview.problem && <p className="text-sm text-bad">AWS could not be asked for the live status: {overview.problem}</p>}
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">#</th>
              <th scope="col" className="px-3 py-2">Stack</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2">AWS console</th>
            </tr>
          </thead>
          <tbody>
            {overview.stacks.map((stack, index) => (
              <tr key={stack.id} className="border-b border-slate-100">
                <td className="px-3 py-2">{index + 1}</td>
                <th scope="row" className="px-3 py-2 font-normal">
                  <span className="font-medium">{stack.title}</span> <code className="text-xs">{stack.stackName}</code>
                  {stack.account && <span className="ml-1 text-xs text-slate-600">· account {stack.account}</span>}
                </th>
                <td className="px-3 py-2">
                  <StatusBadge status={stack.status} />
                </td>
                <td className="px-3 py-2">
                  {stack.consoleUrl ? (
                    <a href={stack.consoleUrl} target="_blank" rel="noopener noreferrer" className="text-brand-dark underline">
                      Open<span className="sr-only"> {stack.stackName} in the AWS console</span>
                    </a>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
