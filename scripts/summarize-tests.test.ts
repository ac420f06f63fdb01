// The line CI reads: every run's tests counted, a run that wrote no report counted as a failure,
// and the Node 24 rerun added unless it was skipped for want of Node 24.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lr-reports-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const vitest = (files: { status: string; tests: string[] }[]) => ({
  numPassedTests: files.flatMap((f) => f.tests).filter((t) => t === 'passed').length,
  numFailedTests: files.flatMap((f) => f.tests).filter((t) => t === 'failed').length,
  numTotalTests: files.flatMap((f) => f.tests).length,
  testResults: files.map((f) => ({ status: f.status, assertionResults: f.tests.map((status) => ({ status })) })),
});
const playwright = { stats: { expected: 40, flaky: 1, unexpected: 2, skipped: 0 } };

function write(name: string, value: unknown) {
  writeFileSync(join(dir, name), JSON.stringify(value));
}

const summary = () => execFileSync(process.execPath, [join(__dirname, 'summarize-tests.mjs'), dir], { encoding: 'utf8' }).trim();

describe('summarize-tests', () => {
  it('adds up unit, end-to-end and Node 24 runs', () => {
    write('vitest.json', vitest([{ status: 'passed', tests: ['passed', 'passed'] }, { status: 'failed', tests: ['passed', 'failed'] }]));
    write('playwright.json', playwright);
    write('node24.json', { passed: 3, failed: 0, total: 3 });
    expect(summary()).toBe('47 passed, 3 failed (unit 3/4, e2e 41/43, unit on Node 24 3/3)');
  });

  it('counts a test file that could not even load, and a run that wrote no report, as failures', () => {
    write('vitest.json', vitest([{ status: 'passed', tests: ['passed'] }, { status: 'failed', tests: [] }]));
    expect(summary()).toBe('1 passed, 2 failed (unit 1/2, e2e: no report)');
  });

  it('names a skipped Node 24 run without counting it', () => {
    write('vitest.json', vitest([{ status: 'passed', tests: ['passed'] }]));
    write('playwright.json', { stats: { expected: 1, flaky: 0, unexpected: 0, skipped: 0 } });
    write('node24.json', { skipped: 'could not get Node 24 from the npm registry (ETIMEDOUT)', passed: 0, failed: 0, total: 0 });
    expect(summary()).toBe('2 passed, 0 failed (unit 1/1, e2e 1/1, Node 24 skipped: could not get Node 24 from the npm registry (ETIMEDOUT))');
  });

  it('adds up the two kinds of journeys when they ran at once, and counts a kind that wrote no report as a failure', () => {
    write('vitest.json', vitest([{ status: 'passed', tests: ['passed'] }]));
    write('playwright-parallel.json', { stats: { expected: 5, flaky: 1, unexpected: 0, skipped: 0 } });
    write('playwright-exclusive.json', { stats: { expected: 2, flaky: 0, unexpected: 1, skipped: 0 } });
    expect(summary()).toBe('9 passed, 1 failed (unit 1/1, e2e parallel 6/6, e2e exclusive 2/3)');
    rmSync(join(dir, 'playwright-exclusive.json'));
    expect(summary()).toBe('7 passed, 1 failed (unit 1/1, e2e parallel 6/6, e2e exclusive: no report)');
  });

  it('fails when nothing reported at all', () => {
    expect(summary()).toBe('0 passed, 2 failed (unit: no report, e2e: no report)');
  });
});
