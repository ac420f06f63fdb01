// The stacks of a discovered deployment with their CloudFormation status.

const tone = (status: string) =>
  /FAILED|ROLLBACK/.test(status) ? 'text-bad' : /IN_PROGRESS/.test(status) ? 'text-warn' : /COMPLETE$/.test(status) ? 'text-ok' : 'text-slate-700';

export function AttachStackTable({ stacks }: { stacks: { title: string; stackName: string; status: string }[] }) {
  return (
    <div className="relative overflow-x-auto">
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Stacks</caption>
      <thead className="border-b border-slate-200 text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-4 font-medium">Stack</th>
          <th scope="col" className="py-1 pr-4 font-medium">Name</th>
          <th scope="col" className="py-1 font-medium">Status</th>
        </tr>
      </thead>
      <tbody>
        {stacks.map((stack) => (
          <tr key={stack.stackName} className="border-b border-slate-100 last:border-0">
            <td className="py-1 pr-4">{stack.title}</td>
            <td className="py-1 pr-4 font-mono">{stack.stackName}</td>
            <td className={`py-1 font-mono text-xs ${tone(stack.status)}`}>{stack.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
