import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { currentPlan } from '@/lib/plan/testing/line-current';
import { defaultPlan2025 } from '@/lib/plan/testing/line-2025';
import { LINE_CURRENT } from '@/templates/current/line';
import { findRelease, knownReleases, manifestsIn, newerReleases, runningVersion } from './known';
import { fixtureManifest } from './testing/fixture';

const dir = mkdtempSync(join(tmpdir(), 'releases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

function releasesFile(name: string, releases: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ releases }));
  vi.stubEnv('CONSOLE_RELEASES_FILE', path);
  resetEnvForTests();
  return path;
}

describe('the releases the console knows', () => {
  it('knows the release each line is built for, and nothing newer without imported manifests', () => {
    expect(knownReleases(LINE_CURRENT).map((m) => m.version)).toEqual(['v1.7.5']);
    expect(runningVersion(currentPlan('k'))).toBe('v1.7.5');
    expect(newerReleases(currentPlan('k'))).toEqual([]);
    expect(runningVersion(defaultPlan2025())).toBeUndefined();
  });

  it('reads the manifests of CONSOLE_RELEASES_FILE, and offers the newer ones to deployments on an older release', () => {
    releasesFile('one.json', [fixtureManifest()]);
    expect(knownReleases(LINE_CURRENT).map((m) => m.version)).toEqual(['v1.7.5', 'v1.7.6']);
    expect(newerReleases(currentPlan('k')).map((m) => m.version)).toEqual(['v1.7.6']);
    expect(findRelease(currentPlan('k'), 'v1.7.6')?.date).toBe('2026-09-02');
    // a deployment upgraded to it has nothing newer
    expect(newerReleases({ ...currentPlan('k'), releaseVersion: 'v1.7.6' })).toEqual([]);
  });

  it('leaves out, with a warning naming the field, a manifest in the file its line does not accept', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bad = fixtureManifest();
    bad.version = 'v1.7.7';
    bad.images.maestro!.digest = 'latest';
    const manifests = manifestsIn({ releases: [fixtureManifest(), bad] }, 'test.json');
    expect(manifests.map((m) => m.version)).toEqual(['v1.7.6']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('test.json: release 2 is left out: images.maestro.digest: must be a sha256 digest'));
    expect(manifestsIn({ versions: [] }, 'other.json')).toEqual([]);
    warn.mockRestore();
  });

  it('reads the file again once it changes, and knows nothing from a file that is not there', () => {
    const path = releasesFile('changing.json', []);
    expect(knownReleases(LINE_CURRENT)).toHaveLength(1);
    writeFileSync(path, JSON.stringify({ releases: [fixtureManifest()] }));
    const later = new Date(Date.now() + 5_000);
    // the mtime moves forward, as a later write's does
    utimesSync(path, later, later);
    expect(knownReleases(LINE_CURRENT).map((m) => m.version)).toEqual(['v1.7.5', 'v1.7.6']);
    vi.stubEnv('CONSOLE_RELEASES_FILE', join(dir, 'missing.json'));
    resetEnvForTests();
    expect(knownReleases(LINE_CURRENT)).toHaveLength(1);
  });
});
