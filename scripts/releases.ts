// npm run releases -- --manifest FILE [--out FILE]
// Imports a release manifest (JSON or YAML, the format of templates/release-manifest.ts, README
// "Release manifests") into the releases data file the console reads (lib/releases/imported.json,
// or the file CONSOLE_RELEASES_FILE names). Offline: nothing is fetched. A manifest with problems
// is refused with one line per field; the data file is left as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { formatIssues, parseManifest } from '../lib/releases/check';
import type { ReleasesFile } from '../lib/releases/known';
import { compareVersions } from '../lib/params/release-version';
import { LINES } from '../templates';
import type { ReleaseManifest } from '../templates/release-manifest';

const { values } = parseArgs({ options: { manifest: { type: 'string' }, out: { type: 'string', default: 'lib/releases/imported.json' } } });
if (!values.manifest) {
  console.error('usage: npm run releases -- --manifest FILE [--out FILE]');
  process.exit(2);
}
if (!existsSync(values.manifest)) {
  console.error(`${values.manifest} does not exist`);
  process.exit(2);
}

let input: unknown;
try {
  input = parse(readFileSync(values.manifest, 'utf8'));
} catch (error) {
  console.error(`${values.manifest} is neither JSON nor YAML: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const parsed = parseManifest(input, LINES);
if (!parsed.ok) {
  console.error(`${values.manifest} is not a release manifest the console accepts:`);
  for (const line of formatIssues(parsed.issues)) console.error(`  ${line}`);
  process.exit(1);
}

const data: ReleasesFile = existsSync(values.out) ? (JSON.parse(readFileSync(values.out, 'utf8')) as ReleasesFile) : { releases: [] };
const { manifest } = parsed;
const same = (entry: unknown) => (entry as ReleaseManifest).line === manifest.line && (entry as ReleaseManifest).version === manifest.version;
const replaced = data.releases.some(same);
const releases = [...data.releases.filter((entry) => !same(entry)), manifest].sort(
  (a, b) => (a as ReleaseManifest).line.localeCompare((b as ReleaseManifest).line) || compareVersions((a as ReleaseManifest).version, (b as ReleaseManifest).version),
);
writeFileSync(values.out, `${JSON.stringify({ releases }, null, 2)}\n`);
console.log(`${values.out}: ${replaced ? 'replaced' : 'imported'} ${manifest.version} of the ${manifest.line} line (${manifest.date}, ${Object.keys(manifest.images).length} images, ${manifest.templateChanges.length} template changes); ${releases.length} imported release(s) in the file.`);
