// Counts from the JSON reports vitest and Playwright write (see vitest.config.mts and
// playwright.config.ts), for scripts/summarize-tests.mjs and scripts/node24-unit-tests.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Passed and failed tests of a vitest JSON report, or undefined when there is none. A test file
 * that failed without a failing test (it could not even be loaded) counts as one failure.
 */
export function vitestCounts(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = report.testResults.filter(
    (result) => result.status === 'failed' && !result.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    total: report.numTotalTests + brokenFiles,
    files: report.testResults.length,
  };
}

/** Passed (flaky ones included) and failed tests of a Playwright JSON report, or undefined. */
export function playwrightCounts(file) {
  if (!existsSync(file)) return undefined;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  const passed = stats.expected + stats.flaky;
  return { passed, failed: stats.unexpected, total: passed + stats.unexpected + stats.skipped };
}

/**
 * Unit test files that drive a command-line tool written in Python, `*.cli.test.ts`: deploy.sh with
 * the AWS CLI against a sandbox, and cfn-lint over the rendered templates.
 */
export const CLI_TEST = /\.cli\.test\.[cm]?[jt]sx?$/;
/** The same files as a vitest --exclude glob. */
export const CLI_TEST_GLOB = '**/*.cli.test.{ts,tsx,js,jsx,mts,cts,mjs,cjs}';

/**
 * The test files a Node 24 rerun leaves out, learnt from the Node 20 unit run: those that loaded a
 * native module (one JSON line per finished file in NATIVE_MODULE_LOG: `{ file, native }`), and
 * those that run started but never finished (in its vitest report, with no line in the log: their
 * process ended mid-file, so what they load is unknown). Paths are relative to `root`. Also names
 * the other files that drive a Python tool (`cli`, see CLI_TEST), which a background rerun leaves out too.
 */
export function leftOutOnNode24(logText, reportFile, root) {
  const native = new Map();
  const finished = new Set();
  for (const line of logText.split('\n').filter(Boolean)) {
    const { file, native: modules } = JSON.parse(line);
    finished.add(file);
    if (modules.length > 0) native.set(file, modules);
  }
  const started = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')).testResults.map((result) => relative(root, result.name)) : [];
  const unfinished = started.filter((file) => !finished.has(file)).sort();
  const cli = [...new Set([...started, ...finished])].filter((file) => CLI_TEST.test(file) && !native.has(file) && !unfinished.includes(file)).sort();
  return { native, unfinished, cli };
}
