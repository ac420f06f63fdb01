// npm test: lint, types, the unit tests and the browser journeys, with the unit tests running beside
// the rest of the preparation. A unit run uses about half of a two-core machine (its files mostly
// wait on the sandbox's clock, PostgreSQL and the AWS CLI), so lint, the type check and the
// production build, which the journeys need, run in its idle time instead of before and after it.
// Their output is kept in a log and printed once the unit run has ended, so the two never
// interleave. The journeys start when all of it has passed, as they did after `&&`: the parallel
// ones and the exclusive ones at once (E2E_PHASE, see playwright.config.ts), the exclusive ones
// against a console and sandbox of their own, 50 ports up and with their own data directory. They
// mostly wait on a slowed clock, so they fit beside the parallel ones; their output follows.
//
// Exit status: that of the first step that failed, 0 when everything passed.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A step: a label and the command that runs it. */
const step = (label, command, ...args) => ({ label, command, args });
const playwright = join('node_modules', '.bin', 'playwright');
/** The exclusive journeys' console: its ports this far above the suite's (own consoles add up to 23). */
const EXCLUSIVE_PORT_OFFSET = 50;
const port = (name, fallback) => String(Number(process.env[name] ?? fallback) + EXCLUSIVE_PORT_OFFSET);

export const STEPS = {
  preparation: [
    step('lint', 'npm', 'run', 'lint'),
    step('types', 'npm', 'run', 'typecheck'),
    step('chromium', process.execPath, 'scripts/check-chromium.mjs'),
    step('build', 'npm', 'run', 'build'),
  ],
  unit: step('unit tests', 'npm', 'run', 'test:unit'),
  journeys: [
    { ...step('parallel journeys', playwright, 'test'), env: { E2E_PHASE: 'parallel' } },
    {
      ...step('exclusive journeys', playwright, 'test'),
      env: {
        E2E_PHASE: 'exclusive',
        E2E_PORT: port('E2E_PORT', 3123),
        E2E_SANDBOX_PORT: port('E2E_SANDBOX_PORT', 4599),
        E2E_DATA_DIR: '.data-e2e-exclusive',
        E2E_OUTPUT_DIR: 'test-results-exclusive',
      },
    },
  ],
};

const running = new Set();

/** Runs a step to its end; its output goes to `output` (a file descriptor) or to ours. */
function run({ label, command, args, env }, output) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, {
      stdio: output === undefined ? 'inherit' : ['ignore', output, output],
      env: { ...process.env, ...env },
    });
    running.add(child);
    const done = (status) => {
      running.delete(child);
      resolve({ label, status, seconds: Math.round((Date.now() - started) / 1000) });
    };
    child.on('error', (error) => {
      console.log(`${label}: could not start ${command}: ${error.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** Runs the steps one after the other, stopping at the first that fails. */
async function inOrder(steps, output) {
  const results = [];
  for (const each of steps) {
    const result = await run(each, output);
    results.push(result);
    if (result.status !== 0) break;
  }
  return results;
}

/**
 * Runs the steps at once: the first with our output, the others into logs printed after it ends.
 * Resolves to their results, in order.
 */
async function together(steps, dir) {
  const logs = steps.map((_, index) => join(dir, `together-${index}.log`));
  const fds = logs.map((file) => openSync(file, 'w'));
  const results = await Promise.all(steps.map((each, index) => run(each, index === 0 ? undefined : fds[index])));
  fds.forEach((fd) => closeSync(fd));
  for (const [index, each] of steps.entries()) {
    if (index === 0) continue;
    console.log(`\n== ${each.label} (ran beside the ${steps[0].label})`);
    process.stdout.write(readFileSync(logs[index], 'utf8'));
  }
  return results;
}

/**
 * Runs the preparation beside the unit tests, then the journeys (all at once) if all of it passed;
 * resolves to the exit status.
 */
export async function runTests(steps = STEPS) {
  const dir = mkdtempSync(join(tmpdir(), 'npm-test-'));
  try {
    const logFile = join(dir, 'preparation.log');
    const log = openSync(logFile, 'w');
    const names = steps.preparation.map((each) => each.label).join(', ');
    console.log(`== ${steps.unit.label} (beside them: ${names}; their output follows)`);
    const preparation = inOrder(steps.preparation, log);
    const unit = await run(steps.unit);
    const prepared = await preparation;
    closeSync(log);
    console.log(`\n== ${names} (ran beside the ${steps.unit.label})`);
    process.stdout.write(readFileSync(logFile, 'utf8'));
    const skipped = steps.preparation.slice(prepared.length).map((each) => each.label);
    for (const { label, status, seconds } of [...prepared, unit]) {
      console.log(`== ${label}: ${status === 0 ? 'passed' : `failed (exit ${status})`} in ${seconds} s`);
    }
    if (skipped.length > 0) console.log(`== not run, after that failure: ${skipped.join(', ')}`);
    const failed = [...prepared, unit].find((each) => each.status !== 0);
    if (failed) {
      console.log(`== ${steps.journeys.map((each) => each.label).join(', ')}: not run, since ${failed.label} failed`);
      return failed.status;
    }
    const journeys = await together(steps.journeys, dir);
    for (const { label, status, seconds } of journeys) {
      console.log(`== ${label}: ${status === 0 ? 'passed' : `failed (exit ${status})`} in ${seconds} s`);
    }
    return journeys.find((each) => each.status !== 0)?.status ?? 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      for (const child of running) child.kill(signal);
      process.exit(130);
    });
  }
  process.exit(await runTests());
}
