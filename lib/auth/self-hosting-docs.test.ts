// The README's self-hosting table documents every variable lib/env.ts reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

describe('README self-hosting', () => {
  it('lists every environment variable of lib/env.ts in its table', () => {
    const schema = readFileSync(join(ROOT, 'lib', 'env.ts'), 'utf8');
    const variables = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(variables.length).toBeGreaterThan(10);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Environment variables'));
    const documented = new Set([...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });
});
