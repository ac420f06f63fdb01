// npm test's order (scripts/test.mjs): the preparation beside the unit tests, its output after
// theirs, the journeys only when everything before them passed, and the first failure's status.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain ES module of the CI scripts, without type declarations
import { runTests } from './test.mjs';

let dir = '';
let record = '';
let printed: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lr-npm-test-'));
  record = join(dir, 'record');
  writeFileSync(record, '');
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(String(line)));
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => (printed.push(String(text)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

interface StepOptions {
  status?: number;
  waitMs?: number;
  /** Waits (up to 30 s) until this step has noted its name in the record. */
  after?: string;
  /** Prints a line (kept quiet where the output would go to the test run's own). */
  print?: boolean;
}
/** A step that notes its name in the record (after `waitMs`, or once `after` has), prints a line and exits with `status`. */
function step(label: string, { status = 0, waitMs = 0, after, print = true }: StepOptions = {}) {
  const finish = `require('fs').appendFileSync(${JSON.stringify(record)}, ${JSON.stringify(label)} + (process.env.TAG ? ':' + process.env.TAG : '') + '\\n'); ${print ? `console.log(${JSON.stringify(`output of ${label}`)});` : ''} process.exit(${status});`;
  const script = after
    ? `const fs = require('fs'); const until = Date.now() + 30000; const poll = () => fs.readFileSync(${JSON.stringify(record)}, 'utf8').split('\\n').includes(${JSON.stringify(after)}) || Date.now() > until ? (() => { ${finish} })() : setTimeout(poll, 20); poll();`
    : `setTimeout(() => { ${finish} }, ${waitMs});`;
  return { label, command: process.execPath, args: ['-e', script] };
}
const steps = (over: Record<string, StepOptions> = {}) => ({
  preparation: ['lint', 'types', 'build'].map((label) => step(label, over[label])),
  // the unit tests end once the build has: they can only see it if it ran beside them
  unit: step('unit', { print: false, ...(over.unit ?? { after: 'build' }) }),
  // the two kinds of journeys run at once: the first ends only once the second has
  journeys: [
    step('parallel', { print: false, ...(over.parallel ?? { after: 'exclusive:own' }) }),
    { ...step('exclusive', over.exclusive), env: { TAG: 'own' } },
  ],
});
const recorded = () => readFileSync(record, 'utf8').split('\n').filter(Boolean);

describe('npm test (scripts/test.mjs)', () => {
  it('prepares while the unit tests run, prints the preparation after them, then runs the journeys', async () => {
    expect(await runTests(steps())).toBe(0);
    // lint, types and the build all finished while the unit tests were still running
    // the journeys ran at once, the second with its own environment, its output printed after
    expect(recorded()).toEqual(['lint', 'types', 'build', 'unit', 'exclusive:own', 'parallel']);
    const text = printed.join('\n');
    expect(text).toContain('output of lint');
    expect(text.indexOf('== lint, types, build (ran beside the unit)')).toBeGreaterThan(text.indexOf('== unit (beside them: lint, types, build'));
    expect(text).toMatch(/== build: passed in \d+ s/);
    expect(text.indexOf('output of exclusive')).toBeGreaterThan(text.indexOf('== exclusive (ran beside the parallel)'));
    expect(text).toMatch(/== parallel: passed in \d+ s\n== exclusive: passed in \d+ s/);
  });

  it('stops the preparation at a failing step, skips the journeys and exits with its status', async () => {
    expect(await runTests(steps({ types: { status: 3 }, unit: { after: 'types' } }))).toBe(3);
    expect(recorded()).toEqual(['lint', 'types', 'unit']);
    const text = printed.join('\n');
    expect(text).toContain('== types: failed (exit 3)');
    expect(text).toContain('== not run, after that failure: build');
    expect(text).toContain('== parallel, exclusive: not run, since types failed');
  });

  it('skips the journeys when the unit tests fail, and exits with their status', async () => {
    expect(await runTests(steps({ unit: { status: 2, after: 'build' } }))).toBe(2);
    expect(recorded()).toEqual(['lint', 'types', 'build', 'unit']);
    expect(printed.join('\n')).toContain('== parallel, exclusive: not run, since unit failed');
  });

  it('exits with the status of journeys that fail, after the others have finished', async () => {
    expect(await runTests(steps({ exclusive: { status: 4 } }))).toBe(4);
    expect(recorded().slice(-2)).toEqual(['exclusive:own', 'parallel']);
    expect(printed.join('\n')).toMatch(/== parallel: passed in \d+ s\n== exclusive: failed \(exit 4\)/);
  });

  it('says so, and fails, when a command cannot start', async () => {
    const broken = { ...steps(), journeys: [{ label: 'journeys', command: join(dir, 'no-such-playwright'), args: [] }] };
    expect(await runTests(broken)).toBe(1);
    expect(printed.join('\n')).toContain(`journeys: could not start ${join(dir, 'no-such-playwright')}`);
  });
});
