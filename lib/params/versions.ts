// Engine versions that may only rise: comparing the value a plan gives with the version AWS runs.
// Isomorphic and pure. A value names a prefix of the running version's components: "17" is any 17.x.

const components = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10));

/**
 * Whether `value` (a parameter such as "17" or "17.7") asks for less than `running` (such as
 * "17.9"): compared component by component as far as `value` goes, so a major alone never asks
 * for less than a minor of that major.
 */
export function isVersionBelow(value: string, running: string): boolean {
  const wanted = components(value);
  const actual = components(running);
  for (const [i, part] of wanted.entries()) {
    const other = actual[i];
    if (other === undefined || Number.isNaN(part) || Number.isNaN(other)) return false;
    if (part !== other) return part < other;
  }
  return false;
}
