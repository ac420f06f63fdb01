// Test helper: runs the real cfn-lint CLI (1.x, on PATH) over rendered templates and returns its
// findings. One process for many files: cfn-lint's start-up is most of its time. Shaped to fold
// into a shared harness: files in, findings out, nothing specific to a release line.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LintFile {
  /** Relative path, e.g. shape-name/cardinal-lakerunner/cert.yaml; the extension picks the parser. */
  path: string;
  text: string;
}

export interface LintFinding {
  file: string;
  rule: string;
  level: 'Error' | 'Warning' | 'Informational';
  message: string;
  line: number;
}

interface RawFinding {
  Filename: string;
  Level: LintFinding['level'];
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number } };
}

/** The installed cfn-lint's version, or an Error saying how to install it. */
export async function cfnLintVersion(binary = 'cfn-lint'): Promise<string> {
  try {
    const { stdout } = await run(binary, ['--version']);
    return stdout.trim();
  } catch (error) {
    throw new Error(`cfn-lint is not installed or not on PATH (pip install cfn-lint==1.51.0): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * cfn-lint's findings for `files` (default checks, plus `includeChecks` such as ["I"] for the
 * informational ones), with paths relative to the files given.
 */
export async function lintTemplates(files: readonly LintFile[], options: { includeChecks?: string[]; binary?: string } = {}): Promise<LintFinding[]> {
  const binary = options.binary ?? 'cfn-lint';
  await cfnLintVersion(binary);
  const dir = await mkdtemp(join(tmpdir(), 'cfn-lint-'));
  try {
    for (const file of files) {
      const path = join(dir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text);
    }
    const args = ['--format', 'json', ...(options.includeChecks?.length ? ['--include-checks', ...options.includeChecks] : []), '--', ...files.map((f) => join(dir, f.path))];
    // Exit codes are a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is a crash.
    const output = await run(binary, args, { maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      if (typeof error.code === 'number' && error.code > 1 && error.stdout !== undefined) return { stdout: error.stdout };
      throw new Error(`cfn-lint failed (exit ${String(error.code)}): ${error.stderr ?? ''}`, { cause: error });
    });
    const raw = JSON.parse(output.stdout || '[]') as RawFinding[];
    return raw.map((f) => ({
      file: relative(dir, f.Filename),
      rule: f.Rule.Id,
      level: f.Level,
      message: f.Message,
      line: f.Location.Start.LineNumber,
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One line per finding, for a readable assertion failure. */
export const describeFindings = (findings: readonly LintFinding[]) => findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);
