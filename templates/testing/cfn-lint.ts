// Test harness around AWS's CloudFormation linter (the cfn-lint CLI on PATH): write a batch of
// rendered templates to a temporary folder, run the CLI once over all of them with JSON output, and
// return its findings per template. Generic: any release line renders its templates and lints them.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { toYaml } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';

export type LintLevel = 'Error' | 'Warning' | 'Informational';

export interface LintFinding {
  /** The name the template was given to lintTemplates (or the file path given to lintFiles). */
  file: string;
  /** cfn-lint's rule id, such as E3012, W1030 or I3011. */
  rule: string;
  level: LintLevel;
  message: string;
  /** Where in the template, such as Resources.Database.Properties.EngineVersion. */
  path: string;
  line: number;
}

export interface LintOptions {
  /** Rule ids or prefixes cfn-lint leaves out by default to include too, such as ['I'] for the informational ones. */
  includeChecks?: readonly string[];
  /** Regions to validate against (cfn-lint's default is us-east-1). */
  regions?: readonly string[];
  /** The executable; CFN_LINT or cfn-lint on PATH by default. */
  command?: string;
}

/** cfn-lint is not installed where the tests run. */
export class CfnLintMissingError extends Error {
  constructor(command: string, options?: { cause?: unknown }) {
    super(
      `cfn-lint was not found (tried "${command}"). The template tests run AWS's CloudFormation linter: install it (pip install cfn-lint, ` +
        'or your system\'s package) so that `cfn-lint --version` works, or set CFN_LINT to its path.',
      options,
    );
    this.name = 'CfnLintMissingError';
  }
}

const defaultCommand = () => process.env.CFN_LINT || 'cfn-lint';

/** Files per CLI run: keeps the command line well under the system's argument limit. */
const BATCH = 200;
/** cfn-lint 1.x needs about half a second per template on a shared core; leave room. */
const TIMEOUT_MS = 600_000;

interface RawFinding {
  Filename: string | null;
  Level: string;
  Message: string;
  Location?: { Path?: (string | number)[] | null; Start?: { LineNumber?: number } };
  Rule: { Id: string };
}

function run(command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { maxBuffer: 256 * 1024 * 1024, timeout: TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new CfnLintMissingError(command, { cause: error }));
      if (error && (error.killed || error.signal)) return reject(new Error(`cfn-lint was stopped (${error.signal ?? 'timeout'})`, { cause: error }));
      // A non-zero exit is how cfn-lint says it found something (a bit per level); the JSON tells what.
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      if (error && !Number.isInteger(code)) return reject(error);
      resolve({ stdout, stderr, code });
    });
  });
}

/** The installed cfn-lint's version, such as "1.51.0"; throws CfnLintMissingError without one. */
export async function cfnLintVersion(command = defaultCommand()): Promise<string> {
  const { stdout } = await run(command, ['--version']);
  return stdout.trim().replace(/^cfn-lint\s+/, '');
}

/** Runs cfn-lint over template files (YAML or JSON), once per batch; findings name the given paths. */
export async function lintFiles(paths: readonly string[], options: LintOptions = {}): Promise<LintFinding[]> {
  const command = options.command ?? defaultCommand();
  const args = [
    '--format',
    'json',
    ...(options.includeChecks?.length ? ['--include-checks', ...options.includeChecks] : []),
    ...(options.regions?.length ? ['--regions', ...options.regions] : []),
  ];
  const findings: LintFinding[] = [];
  for (let start = 0; start < paths.length; start += BATCH) {
    const batch = paths.slice(start, start + BATCH);
    const { stdout, stderr, code } = await run(command, [...args, '--', ...batch]);
    let raw: RawFinding[];
    try {
      raw = JSON.parse(stdout || '[]') as RawFinding[];
    } catch (cause) {
      throw new Error(`cfn-lint (exit ${code}) printed no JSON: ${(stderr || stdout).slice(0, 2000)}`, { cause });
    }
    for (const finding of raw) {
      findings.push({
        file: finding.Filename ?? '(cfn-lint)',
        rule: finding.Rule.Id,
        level: finding.Level as LintLevel,
        message: finding.Message,
        path: (finding.Location?.Path ?? []).join('.'),
        line: finding.Location?.Start?.LineNumber ?? 0,
      });
    }
  }
  return findings;
}

export interface NamedTemplate {
  /** Unique within the batch; becomes the file name (letters, digits, dots, dashes, underscores). */
  name: string;
  template: Template;
}

/** Writes each template as YAML (as the console serves it) and lints them all; findings carry the names. */
export async function lintTemplates(templates: readonly NamedTemplate[], options: LintOptions = {}): Promise<LintFinding[]> {
  const names = new Set<string>();
  for (const { name } of templates) {
    if (!/^[\w.-]+$/.test(name) || names.has(name)) throw new Error(`Template name "${name}" must be unique and a plain file name`);
    names.add(name);
  }
  const dir = await mkdtemp(join(tmpdir(), 'cfn-lint-'));
  try {
    const paths = new Map<string, string>();
    for (const { name, template } of templates) {
      const path = join(dir, `${name}.yaml`);
      await writeFile(path, toYaml(template));
      paths.set(path, name);
    }
    const findings = await lintFiles([...paths.keys()], options);
    return findings.map((finding) => ({ ...finding, file: paths.get(finding.file) ?? finding.file }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A file as it is written: a relative path (folders allowed, the extension picks YAML or JSON) and its text. */
export interface LintText {
  path: string;
  text: string;
}

/**
 * Writes each file under its relative path (a release line's children go in their folder, as the
 * root loads them) and lints them all in one run; findings carry the relative paths.
 */
export async function lintTexts(files: readonly LintText[], options: LintOptions = {}): Promise<LintFinding[]> {
  const paths = new Set<string>();
  for (const { path } of files) {
    if (normalize(path) !== path || path.startsWith('..') || path.startsWith('/') || paths.has(path)) throw new Error(`File path "${path}" must be unique and relative`);
    paths.add(path);
  }
  const dir = await mkdtemp(join(tmpdir(), 'cfn-lint-'));
  try {
    for (const { path, text } of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const findings = await lintFiles([...paths].map((path) => join(dir, path)), options);
    return findings.map((finding) => ({ ...finding, file: finding.file.startsWith(`${dir}/`) ? finding.file.slice(dir.length + 1) : finding.file }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One line per finding, for assertion messages: `name:line rule level path: message`. */
export const formatFindings = (findings: readonly LintFinding[]) =>
  findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.level} ${f.path}: ${f.message}`).join('\n');
