// Vitest setup file, active when NATIVE_MODULE_LOG names a file: records which test files load a
// native module (process.dlopen), one JSON line per file, so .ci/run can rerun on Node 24 every
// test file that loads none (scripts/node24-unit-tests.mjs). Vitest gives each test file its own
// process here (pool: forks), so what one file loads is not hidden by another's module cache.
// Several of those processes run at once (maxWorkers): each appends its record as one small
// O_APPEND write, which a local file system never interleaves with another's.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, expect } from 'vitest';

const log = process.env.NATIVE_MODULE_LOG;
if (log) {
  const loaded: string[] = [];
  const dlopen = process.dlopen.bind(process);
  process.dlopen = (module: object, filename: string, flags?: number) => {
    loaded.push(relative(process.cwd(), filename));
    return flags === undefined ? dlopen(module, filename) : dlopen(module, filename, flags);
  };
  afterAll(() => {
    const file = relative(process.cwd(), expect.getState().testPath ?? '');
    appendFileSync(log, `${JSON.stringify({ file, native: loaded })}\n`);
  });
}
