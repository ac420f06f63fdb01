// Which unit test files the Node 24 rerun leaves out (scripts/node24-unit-tests.mjs), from the
// records of the Node 20 run: the native-module log and vitest's JSON report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the CI scripts, without type declarations
import { leftOutOnNode24 } from './test-reports.mjs';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lr-node24-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ROOT = '/repo';
const line = (file: string, native: string[] = []) => `${JSON.stringify({ file, native })}\n`;
function report(files: string[]) {
  const path = join(dir, 'vitest.json');
  writeFileSync(path, JSON.stringify({ testResults: files.map((file) => ({ name: `${ROOT}/${file}`, status: 'passed', assertionResults: [] })) }));
  return path;
}

describe('leftOutOnNode24', () => {
  it('leaves out the files that loaded a native module, with the modules, and keeps the others', () => {
    const log = line('lib/a.test.ts') + line('lib/store/db.test.ts', ['node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
    const { native, unfinished } = leftOutOnNode24(log, report(['lib/a.test.ts', 'lib/store/db.test.ts']), ROOT);
    expect([...native.entries()]).toEqual([['lib/store/db.test.ts', ['node_modules/better-sqlite3/build/Release/better_sqlite3.node']]]);
    expect(unfinished).toEqual([]);
  });

  it('leaves out a file the run started but never finished: its process ended before it could say what it loads', () => {
    const log = line('lib/a.test.ts') + line('lib/b.test.ts');
    const { native, unfinished } = leftOutOnNode24(log, report(['lib/security/action-fuzz.test.ts', 'lib/a.test.ts', 'lib/b.test.ts']), ROOT);
    expect(native.size).toBe(0);
    expect(unfinished).toEqual(['lib/security/action-fuzz.test.ts']);
  });

  it('without a report, goes by the log alone', () => {
    const { native, unfinished } = leftOutOnNode24(line('lib/c.test.ts', ['x.node']), join(dir, 'missing.json'), ROOT);
    expect([...native.keys()]).toEqual(['lib/c.test.ts']);
    expect(unfinished).toEqual([]);
  });

  it('names the files that drive a Python tool (the AWS CLI, cfn-lint), unless they are already left out for another reason', () => {
    const log = line('lib/plan/deploy-script.cli.test.ts') + line('templates/cfn-lint.cli.test.ts') + line('lib/plan/bundle.test.ts') + line('lib/store/sql.cli.test.ts', ['x.node']);
    const files = ['lib/plan/deploy-script.cli.test.ts', 'templates/cfn-lint.cli.test.ts', 'lib/plan/bundle.test.ts', 'lib/store/sql.cli.test.ts', 'lib/plan/deploy-script-accounts.cli.test.ts'];
    const { cli, unfinished } = leftOutOnNode24(log, report(files), ROOT);
    expect(cli).toEqual(['lib/plan/deploy-script.cli.test.ts', 'templates/cfn-lint.cli.test.ts']);
    expect(unfinished).toEqual(['lib/plan/deploy-script-accounts.cli.test.ts']);
  });
});
