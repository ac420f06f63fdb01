// Prints one "N passed, N failed" line from the JSON reports vitest and Playwright wrote into
// TEST_REPORT_DIR (see vitest.config.mts and playwright.config.ts), adding the unit tests .ci/run
// ran again on Node 24 (node24.json, from scripts/node24-unit-tests.mjs). A run that wrote no
// report counts as one failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { playwrightCounts, vitestCounts } from './test-reports.mjs';

/**
 * The journeys' counts: one report (playwright.json), or one per kind when npm test ran the two
 * kinds at once (playwright-parallel.json, playwright-exclusive.json; see scripts/test.mjs).
 */
function journeyReports(dir) {
  const whole = playwrightCounts(join(dir, 'playwright.json'));
  if (whole) return [['e2e', whole]];
  const phases = ['parallel', 'exclusive'].map((phase) => [`e2e ${phase}`, playwrightCounts(join(dir, `playwright-${phase}.json`))]);
  return phases.some(([, counts]) => counts) ? phases : [['e2e', undefined]];
}

const dir = process.argv[2];
const node24File = join(dir, 'node24.json');
const node24 = existsSync(node24File) ? JSON.parse(readFileSync(node24File, 'utf8')) : undefined;
const reports = [
  ['unit', vitestCounts(join(dir, 'vitest.json'))],
  ...journeyReports(dir),
  ...(node24 && !node24.skipped ? [['unit on Node 24', node24]] : []),
];

let passed = 0;
let failed = 0;
const parts = [];
for (const [name, counts] of reports) {
  if (!counts) {
    failed += 1;
    parts.push(`${name}: no report`);
    continue;
  }
  passed += counts.passed;
  failed += counts.failed;
  parts.push(`${name} ${counts.passed}/${counts.total}`);
}
if (node24?.skipped) parts.push(`Node 24 skipped: ${node24.skipped}`);
console.log(`${passed} passed, ${failed} failed (${parts.join(', ')})`);
