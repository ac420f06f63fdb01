// npm test: lint, types, the unit tests and the browser journeys, in that order of reporting, with
// the unit tests running beside the rest of the preparation. A unit run uses about half of a
// two-core machine (its files mostly wait on the sandbox's clock, PostgreSQL and the AWS CLI), so
// lint, the type check and the production build, which the journeys need, run in its idle time
// instead of before and after it. Their output is kept in a log and printed once the unit run has
// ended, so the two never interleave. The journeys start when all of it has passed, as before.
//
// Exit status: that of the first step that failed, 0 when everything passed.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const npm = 'npm';
const running = new Set();

/** Runs a command to its end; its output goes to `output` (a file descriptor) or to ours. */
function run(label, command, args, output) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { stdio: output === undefined ? 'inherit' : ['ignore', output, output] });
    running.add(child);
    const done = (status) => {
      running.delete(child);
      resolve({ label, status, seconds: Math.round((Date.now() - started) / 1000) });
    };
    child.on('error', (error) => {
      console.error(`${label}: could not start ${command}: ${error.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** Runs the steps one after the other, stopping at the first that fails. */
async function inOrder(steps, output) {
  const results = [];
  for (const [label, command, args] of steps) {
    const result = await run(label, command, args, output);
    results.push(result);
    if (result.status !== 0) break;
  }
  return results;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
    process.exit(130);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'npm-test-'));
const logFile = join(dir, 'prepare.log');
const log = openSync(logFile, 'w');
const preparation = inOrder(
  [
    ['lint', npm, ['run', 'lint']],
    ['types', npm, ['run', 'typecheck']],
    ['chromium', process.execPath, ['scripts/check-chromium.mjs']],
    ['build', npm, ['run', 'build']],
  ],
  log,
);
console.log('== unit tests (lint, types and the build run beside them; their output follows the tests)');
const unit = await run('unit tests', npm, ['run', 'test:unit']);
const prepared = await preparation;
closeSync(log);

console.log('\n== lint, types and build (ran beside the unit tests)');
process.stdout.write(readFileSync(logFile, 'utf8'));
rmSync(dir, { recursive: true, force: true });
for (const step of [...prepared, unit]) console.log(`== ${step.label}: ${step.status === 0 ? 'passed' : `failed (exit ${step.status})`} in ${step.seconds} s`);

const failed = [...prepared, unit].find((step) => step.status !== 0);
if (failed) {
  console.log('== the browser journeys did not run: a step before them failed');
  process.exit(failed.status);
}
const journeys = await run('journeys', join('node_modules', '.bin', 'playwright'), ['test']);
process.exit(journeys.status);
