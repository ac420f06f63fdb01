// Form fields and query parameters to a plain object: repeated keys become arrays, and keys such
// as "__proto__" stay ordinary own properties instead of touching the prototype.
export function entriesToObject(entries: Iterable<readonly [string, string]>): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of entries) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return { ...out };
}
