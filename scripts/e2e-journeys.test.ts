// The journeys share one console and one sandbox, so each names its stacks with a prefix of its
// own (e2e/support/deploy.ts, PlanChoice.prefix). Two journeys with one prefix would deploy into
// each other's stacks and fail each other, depending on the order they ran in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const E2E = join(__dirname, '..', 'e2e');

function prefixes(): { file: string; prefix: string }[] {
  return readdirSync(E2E)
    .filter((file) => file.endsWith('.spec.ts'))
    .flatMap((file) => [...readFileSync(join(E2E, file), 'utf8').matchAll(/\bprefix: '([^']+)'/g)].map((m) => ({ file, prefix: m[1]! })));
}

describe('the end-to-end journeys', () => {
  it('name their stacks with prefixes no other journey uses', () => {
    const found = prefixes();
    expect(found.length).toBeGreaterThan(10);
    // A journey may use its prefix more than once (a second deployment over the first one's stacks, on purpose).
    const owners = new Map<string, Set<string>>();
    for (const { file, prefix } of found) owners.set(prefix, new Set([...(owners.get(prefix) ?? []), file]));
    const shared = [...owners].filter(([, files]) => files.size > 1).map(([prefix, files]) => `${prefix}: ${[...files].join(', ')}`);
    expect(shared).toEqual([]);
  });
});
