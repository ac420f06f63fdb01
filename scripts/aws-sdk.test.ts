// One AWS SDK: every @aws-sdk package the console depends on is pinned at one release, the lockfile
// installs exactly that release, and the tree holds one @aws-sdk/core (clients of different releases
// would each bring their own middleware and types).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
type Manifest = { engines: { node: string }; dependencies: Record<string, string>; devDependencies?: Record<string, string> };
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } }>;
};

const direct = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([name]) => name.startsWith('@aws-sdk/'));
/** Lockfile paths ending in the package's folder, top-level or nested. */
const installed = (name: string) => Object.entries(lock.packages).filter(([path]) => path.endsWith(`node_modules/${name}`));

describe('the AWS SDK', () => {
  it('pins every @aws-sdk dependency at one exact release', () => {
    expect(direct.length).toBeGreaterThanOrEqual(7);
    for (const [name, range] of direct) expect(semver.valid(range), `${name}@${range} is not an exact version`).not.toBeNull();
    expect(new Set(direct.map(([, range]) => range))).toEqual(new Set([direct[0]?.[1]]));
  });

  it('installs exactly the pinned release from the lockfile, once', () => {
    for (const [name, version] of direct) expect(installed(name).map(([path, entry]) => [path, entry.version]), name).toEqual([[`node_modules/${name}`, version]]);
  });

  it('has one @aws-sdk/core and one @smithy/types in the tree', () => {
    expect(installed('@aws-sdk/core')).toHaveLength(1);
    expect(installed('@smithy/types')).toHaveLength(1);
  });

  it("is a release whose packages accept every Node version package.json promises, 20 included", () => {
    for (const [name] of [...direct, ['@aws-sdk/core']]) {
      const node = installed(name as string)[0]?.[1].engines?.node;
      expect(node && semver.subset(manifest.engines.node, node), `${name}: ${node}`).toBe(true);
    }
  });
});
