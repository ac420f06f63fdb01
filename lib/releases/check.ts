// Checks a release manifest for import: its shape by the format's schema, then what its line
// accepts (its images, the stacks and parameters its template changes name, their values by the
// parameters' own specs, a version newer than the one built in). Issues name the field, so the
// import script and the loader report exactly what is wrong. Pure: the lines are given.
import { checkValue } from '@/lib/params/check';
import type { ReleaseLine } from '@/templates/line';
import { compareVersions } from '@/templates/release-images';
import { releaseManifestSchema, type ReleaseManifest } from '@/templates/release-manifest';

export interface ManifestIssue {
  /** The field, dotted: `images.lakerunner.digest`, `templateChanges.0.value`; empty for the whole file. */
  path: string;
  message: string;
}

export type ParsedManifest = { ok: true; manifest: ReleaseManifest; line: ReleaseLine } | { ok: false; issues: ManifestIssue[] };

/** The image keys a line's manifests carry: those its upgrade puts somewhere, and its built-in release's. */
export function imageKeysOf(line: ReleaseLine): string[] {
  const releases = line.releases;
  if (!releases) return [];
  return [...new Set([...Object.keys(releases.builtIn.images), ...releases.images.map((i) => i.image)])];
}

export function parseManifest(input: unknown, lines: readonly ReleaseLine[]): ParsedManifest {
  const shaped = releaseManifestSchema.safeParse(input);
  if (!shaped.success) return { ok: false, issues: shaped.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
  const manifest = shaped.data;
  const line = lines.find((l) => l.id === manifest.line);
  if (!line) return { ok: false, issues: [{ path: 'line', message: `no release line "${manifest.line}"; the lines are ${lines.map((l) => l.id).join(', ')}` }] };
  const releases = line.releases;
  if (!releases) return { ok: false, issues: [{ path: 'line', message: `the ${line.id} line takes no release manifests (the console knows one release of it)` }] };
  const issues: ManifestIssue[] = [];

  if (compareVersions(manifest.version, releases.builtIn.version) <= 0)
    issues.push({ path: 'version', message: `${manifest.version} is not newer than ${releases.builtIn.version}, the release the console is built with` });

  const keys = imageKeysOf(line);
  for (const key of keys) if (!(key in manifest.images)) issues.push({ path: `images.${key}`, message: `missing: a ${line.id} release has the images ${keys.join(', ')}` });
  for (const key of Object.keys(manifest.images))
    if (!keys.includes(key)) issues.push({ path: `images.${key}`, message: `not an image of the ${line.id} line (${keys.join(', ')})` });

  const imageParameters = new Set(releases.images.map((i) => `${i.stack}.${i.parameter}`));
  manifest.templateChanges.forEach((change, i) => {
    const at = `templateChanges.${i}`;
    const stack = line.stacks.find((s) => s.id === change.stack);
    if (!stack) return issues.push({ path: `${at}.stack`, message: `no stack "${change.stack}" in the ${line.id} line (${line.stacks.map((s) => s.id).join(', ')})` });
    const spec = stack.parameters.find((p) => p.key === change.parameter);
    if (!spec) return issues.push({ path: `${at}.parameter`, message: `${stack.title} has no parameter ${change.parameter}` });
    if (spec.noEcho) return issues.push({ path: `${at}.parameter`, message: `${change.parameter} is secret (NoEcho): a manifest cannot carry its value` });
    if (imageParameters.has(`${stack.id}.${spec.key}`)) return issues.push({ path: `${at}.parameter`, message: `${change.parameter} takes the release's image: give it under images` });
    const problem = checkValue(spec, change.value);
    if (problem) issues.push({ path: `${at}.value`, message: problem });
  });
  const seen = new Set<string>();
  manifest.templateChanges.forEach((change, i) => {
    const key = `${change.stack}.${change.parameter}`;
    if (seen.has(key)) issues.push({ path: `templateChanges.${i}`, message: `${key} is changed twice` });
    seen.add(key);
  });

  return issues.length > 0 ? { ok: false, issues } : { ok: true, manifest, line };
}

/** Issues as lines a person reads: `images.lakerunner.digest: must be a sha256 digest…`. */
export const formatIssues = (issues: readonly ManifestIssue[]) => issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
