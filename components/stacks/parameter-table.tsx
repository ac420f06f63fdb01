import type { ParamSpec } from '@/lib/params/spec';
import { groupSpecs } from '@/lib/params/cfn';

function constraint(spec: ParamSpec): string {
  if (spec.allowedValues) return spec.allowedValues.join(' | ');
  if (spec.minValue !== undefined || spec.maxValue !== undefined) return `${spec.minValue ?? '…'} to ${spec.maxValue ?? '…'}`;
  if (spec.minItems) return `at least ${spec.minItems} items`;
  return spec.format ?? (spec.allowedPattern ? 'pattern' : '');
}

export function ParameterTable({ parameters }: { parameters: readonly ParamSpec[] }) {
  return (
    <div className="grid gap-6">
      {groupSpecs(parameters).map((group) => (
        <div key={group.label} className="relative overflow-x-auto">
          <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
            <caption className="mb-2 text-left font-semibold">{group.label}</caption>
            <thead>
              <tr className="border-b border-slate-300 text-slate-600">
                <th scope="col" className="py-1 pr-3">Parameter</th>
                <th scope="col" className="py-1 pr-3">Type</th>
                <th scope="col" className="py-1 pr-3">Default</th>
                <th scope="col" className="py-1 pr-3">Allowed</th>
                <th scope="col" className="py-1">Description</th>
              </tr>
            </thead>
            <tbody>
              {group.specs.map((spec) => (
                <tr key={spec.key} className="border-b border-slate-100 align-top">
                  <th scope="row" className="py-2 pr-3 font-mono font-normal">
                    {spec.key}
                    {spec.default === undefined && <span className="ml-1 text-bad" title="required">*</span>}
                  </th>
                  <td className="py-2 pr-3 font-mono text-xs">{spec.type}</td>
                  <td className="max-w-[16rem] break-all py-2 pr-3 font-mono text-xs">
                    {spec.default === undefined ? '—' : spec.default === '' ? '""' : spec.multiline ? '(YAML)' : spec.default}
                  </td>
                  <td className="py-2 pr-3 text-xs">{constraint(spec)}</td>
                  <td className="py-2">{spec.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
