// Counts from the JSON reports vitest and Playwright write (see vitest.config.mts and
// playwright.config.ts), for scripts/summarize-tests.mjs and scripts/node24-unit-tests.mjs.
import { existsSync, readFileSync } from 'node:fs';

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
