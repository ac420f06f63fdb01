// Prints one "N passed, N failed" line from the JSON reports vitest and Playwright wrote into
// TEST_REPORT_DIR (see vitest.config.mts and playwright.config.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
const seen = [];

const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
  const report = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  seen.push(`unit ${report.numPassedTests}/${report.numTotalTests}`);
}

const playwright = join(dir, 'playwright.json');
if (existsSync(playwright)) {
  const { stats } = JSON.parse(readFileSync(playwright, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  seen.push(`e2e ${stats.expected + stats.flaky}/${stats.expected + stats.flaky + stats.unexpected + stats.skipped}`);
}

if (seen.length === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed${seen.length ? ` (${seen.join(', ')})` : ' (no test report was written)'}`);
