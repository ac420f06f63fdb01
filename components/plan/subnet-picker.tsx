'use client';

import { splitList } from '@/lib/params/spec';
import type { SubnetSummary } from '@/lib/aws/network';

/** Ticks subnets of the chosen VPC into a comma-separated list value. */
export function SubnetPicker({ label, subnets, value, onChange }: { label: string; subnets: SubnetSummary[]; value: string; onChange: (next: string) => void }) {
  const chosen = splitList(value);
  if (subnets.length === 0) return <p className="text-xs text-slate-600">No subnets found in this VPC.</p>;
  return (
    <fieldset className="rounded border border-slate-200 p-2">
      <legend className="px-1 text-xs font-medium text-slate-700">{label}</legend>
      <ul className="grid gap-1 text-xs">
        {subnets.map((subnet) => (
          <li key={subnet.id}>
            <label className="flex flex-wrap items-center gap-x-2">
              <input
                type="checkbox"
                checked={chosen.includes(subnet.id)}
                onChange={(event) =>
                  onChange((event.target.checked ? [...chosen, subnet.id] : chosen.filter((id) => id !== subnet.id)).join(','))
                }
              />
              <span className="font-mono">{subnet.id}</span>
              <span>{subnet.name ?? ''}</span>
              <span className="text-slate-600">
                {subnet.availabilityZone} · {subnet.cidr}
                {subnet.publicIpOnLaunch ? ' · public IPs' : ''}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
