import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { manifestsIn } from '@/lib/releases/known';
import { FIXTURE_MANIFEST_FILE, fixtureManifest } from '@/lib/releases/testing/fixture';

const dir = mkdtempSync(join(tmpdir(), 'releases-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function releases(...args: string[]): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/releases.ts', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '--conditions=react-server' },
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run releases -- --manifest FILE', () => {
  it('imports a manifest into the releases file the console reads, once per version', () => {
    const out = join(dir, 'releases.json');
    // when the fixture is imported twice
    const first = releases('--manifest', FIXTURE_MANIFEST_FILE, '--out', out);
    const again = releases('--manifest', FIXTURE_MANIFEST_FILE, '--out', out);
    // then the file holds it once, as the console reads it
    expect(first.stdout).toContain('imported v1.7.6 of the current line (2026-09-02, 5 images, 1 template changes)');
    expect(again.stdout).toContain('replaced v1.7.6');
    const data = JSON.parse(readFileSync(out, 'utf8')) as unknown;
    expect(manifestsIn(data, out).map((m) => m.version)).toEqual(['v1.7.6']);
  });

  it('refuses a manifest with problems, one line per field, and leaves the file as it was', () => {
    const out = join(dir, 'kept.json');
    writeFileSync(out, '{ "releases": [] }\n');
    const bad = fixtureManifest();
    bad.images.lakerunner!.digest = 'sha256:0';
    delete bad.images.otel;
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, stringify(bad));
    const result = releases('--manifest', file, '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} is not a release manifest the console accepts:`);
    expect(result.stderr).toContain('images.lakerunner.digest: must be a sha256 digest');
    expect(readFileSync(out, 'utf8')).toBe('{ "releases": [] }\n');

    const later = fixtureManifest();
    delete later.images.otel;
    writeFileSync(file, stringify(later));
    expect(releases('--manifest', file, '--out', out).stderr).toContain('images.otel: missing: a current release has the images lakerunner, maestro, dex, dbInit, otel');
  });

  it('says how it is used without a manifest, and names a file that is not there', () => {
    expect(releases()).toMatchObject({ status: 2, stderr: expect.stringContaining('usage: npm run releases -- --manifest FILE [--out FILE]') });
    expect(releases('--manifest', join(dir, 'nope.yaml')).stderr).toContain('nope.yaml does not exist');
  });
});
