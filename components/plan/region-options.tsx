import { REGIONS } from '@/lib/params/regions';

/** The regions a plan can use, as a select's options: code and name. */
export function RegionOptions() {
  return REGIONS.map((r) => (
    <option key={r.code} value={r.code}>
      {r.code} — {r.name}
    </option>
  ));
}
