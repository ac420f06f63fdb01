// package.json's engines promise Node 20, 22 and 24: every installed package must accept all of it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

describe('engines', () => {
  it('accepts the LTS lines 20, 22 and 24, and no other major', () => {
    const range = manifest.engines.node;
    for (const version of ['20.19.0', '22.13.0', '24.0.0', '24.21.0']) expect(semver.satisfies(version, range), version).toBe(true);
    for (const version of ['18.20.0', '21.7.0', '23.11.0', '25.0.0']) expect(semver.satisfies(version, range), version).toBe(false);
  });

  it('is a range every installed package accepts as a whole', () => {
    // Packages for other platforms stay in the lockfile without being installed; they do not count.
    const installed = Object.entries(lock.packages).filter(([path]) => path && existsSync(join(ROOT, path, 'package.json')));
    expect(installed.length).toBeGreaterThan(400);
    const refusing = installed
      .map(([path, entry]) => [path, Array.isArray(entry.engines) ? undefined : entry.engines?.node] as const)
      .filter(([, node]) => node !== undefined && !semver.subset(manifest.engines.node, node))
      .map(([path, node]) => `${path}: ${node}`);
    expect(refusing).toEqual([]);
  });
});
