// The releases the console knows of each line: the one each line is built for, the manifests
// `npm run releases` imported into the built-in data file (imported.json), and those in
// CONSOLE_RELEASES_FILE, re-read when it changes. Which release a deployment runs, and which newer
// ones it could upgrade to. Server-only.
import 'server-only';
import { readFileSync, statSync } from 'node:fs';
import { env } from '@/lib/env';
import type { Plan } from '@/lib/params/plan';
import { compareVersions } from '@/lib/params/release-version';
import { LINES, lineOf } from '@/templates';
import type { ReleaseLine } from '@/templates/line';
import type { ReleaseManifest } from '@/templates/release-manifest';
import { formatIssues, parseManifest } from './check';
import builtInData from './imported.json';

/** The data file `npm run releases` writes: every imported manifest, oldest first. */
export interface ReleasesFile {
  releases: unknown[];
}

/** The manifests of a data file that its lines accept; the others are reported and left out. */
export function manifestsIn(data: unknown, source: string, lines: readonly ReleaseLine[] = LINES): ReleaseManifest[] {
  const list = (data as Partial<ReleasesFile> | null)?.releases;
  if (!Array.isArray(list)) {
    console.warn(`${source}: not a releases file ({ "releases": [...] }); no release is read from it.`);
    return [];
  }
  return list.flatMap((entry, i) => {
    const parsed = parseManifest(entry, lines);
    if (parsed.ok) return [parsed.manifest];
    console.warn(`${source}: release ${i + 1} is left out: ${formatIssues(parsed.issues).join('; ')}`);
    return [];
  });
}

const builtIn = manifestsIn(builtInData, 'lib/releases/imported.json');
let fromFile: { path: string; mtimeMs: number; manifests: ReleaseManifest[] } | undefined;

/** The manifests in CONSOLE_RELEASES_FILE, read again when the file changes; none without one. */
function fileManifests(): ReleaseManifest[] {
  const path = env().CONSOLE_RELEASES_FILE;
  if (!path) return [];
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return [];
  }
  if (fromFile?.path !== path || fromFile.mtimeMs !== mtimeMs) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      console.warn(`CONSOLE_RELEASES_FILE ${path} is not JSON (${error instanceof Error ? error.message : String(error)}); no release is read from it.`);
      data = { releases: [] };
    }
    fromFile = { path, mtimeMs, manifests: manifestsIn(data, path) };
  }
  return fromFile.manifests;
}

/** Every release of a line the console knows, oldest first; a version given twice is the later-read one. */
export function knownReleases(line: ReleaseLine): ReleaseManifest[] {
  if (!line.releases) return [];
  const byVersion = new Map<string, ReleaseManifest>();
  for (const manifest of [line.releases.builtIn, ...builtIn, ...fileManifests()]) if (manifest.line === line.id) byVersion.set(manifest.version, manifest);
  return [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
}

/** The release a deployment's plan runs: the one an upgrade recorded, else the one its line is built for. */
export function runningVersion(plan: Pick<Plan, 'release' | 'releaseVersion'>): string | undefined {
  return plan.releaseVersion ?? lineOf(plan).releases?.builtIn.version;
}

/** Known releases of the plan's line newer than the one it runs, oldest first. */
export function newerReleases(plan: Pick<Plan, 'release' | 'releaseVersion'>): ReleaseManifest[] {
  const running = runningVersion(plan);
  if (!running) return [];
  return knownReleases(lineOf(plan)).filter((m) => compareVersions(m.version, running) > 0);
}

/** A known release of the plan's line by version. */
export const findRelease = (plan: Pick<Plan, 'release'>, version: string): ReleaseManifest | undefined =>
  knownReleases(lineOf(plan)).find((m) => m.version === version);
