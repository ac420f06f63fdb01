import type { WiredInput } from '@/lib/deploy/types';

/** Which of a stack's parameters come from which other stack's output, with the value once known. */
export function WiredInputs({ stackName, inputs }: { stackName: string; inputs: readonly WiredInput[] }) {
  const waiting = [...new Set(inputs.filter((i) => i.value === undefined).map((i) => i.stackName))];
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-slate-700">
        Parameters from other stacks&apos; outputs ({inputs.length})
        {waiting.length > 0 && <span className="text-slate-500"> — known once {waiting.join(', ')} {waiting.length === 1 ? 'exists' : 'exist'}</span>}
      </summary>
      <div className="relative mt-1 overflow-x-auto">
        <table className="w-full min-w-[36rem] text-left" aria-label={`Parameters of ${stackName} from other stacks' outputs`}>
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3">Parameter</th>
              <th scope="col" className="py-1 pr-3">From the output of</th>
              <th scope="col" className="py-1">Value</th>
            </tr>
          </thead>
          <tbody>
            {inputs.map((input) => (
              <tr key={input.parameter} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-3 font-mono">{input.parameter}</td>
                <td className="py-1 pr-3 font-mono">
                  {input.stackName}.{input.output}
                </td>
                <td className="max-w-[24rem] break-all py-1 font-mono">{input.value ?? <span className="font-sans text-slate-500">not known yet</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
