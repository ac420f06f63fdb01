// cfn-lint 1.51.0 itself (spawned, not imitated) over every file of the current line, in every
// plan shape that changes a template, as YAML and as JSON: no error, no warning, and with the
// informational checks included (I3011 stateful resources without explicit policies, I3013…) none
// of those either.
import { describe, expect, it } from 'vitest';
import type { TemplateFormat } from '@/lib/cfn/serialize';
import { fileText, templateFiles } from '../files';
import { CURRENT_STACKS } from './index';
import { CfnLintMissingError, cfnLintVersion, formatFindings, lintTexts, type LintText } from '../testing/cfn-lint';
import { PLAN_SHAPES } from './testing/shapes';

/** Each distinct rendering once, named by the first shape that produced it. */
function shapeFiles(formats: readonly TemplateFormat[]): LintText[] {
  const seen = new Set<string>();
  const files: LintText[] = [];
  for (const format of formats) {
    for (const shape of PLAN_SHAPES) {
      for (const file of templateFiles(CURRENT_STACKS, format, shape.defaults)) {
        const text = fileText(file, format);
        if (seen.has(text)) continue;
        seen.add(text);
        files.push({ path: `${shape.name}/${file.path}`, text });
      }
    }
  }
  return files;
}

describe('cfn-lint on the current line', () => {
  it('is cfn-lint 1.x', async () => {
    expect(await cfnLintVersion()).toMatch(/^1\.\d+\.\d+$/);
  });

  it('says how to install cfn-lint when it is missing', async () => {
    await expect(lintTexts([{ path: 'a.yaml', text: 'Resources: {}\n' }], { command: 'cfn-lint-not-installed' })).rejects.toBeInstanceOf(CfnLintMissingError);
  });

  it('reports what it finds in a nested folder, with the file, line and rule (a template with an unused parameter)', async () => {
    const text = 'Parameters:\n  Unused:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n';
    const findings = await lintTexts([{ path: 'shape/unused.yaml', text }]);
    expect(findings).toEqual([expect.objectContaining({ file: 'shape/unused.yaml', rule: 'W2001', level: 'Warning', line: 2 })]);
    await expect(lintTexts([{ path: '../escape.yaml', text }])).rejects.toThrow('must be unique and relative');
  }, 60_000);

  it('reports nothing, informational checks included, for every file of every plan shape in YAML and JSON', async () => {
    // Given every template and child, rendered for each plan shape in both formats
    const files = shapeFiles(['yaml', 'json']);
    const perFormat = templateFiles(CURRENT_STACKS, 'yaml').length;
    expect(perFormat).toBe(15);
    // (the shapes change the roots, never the children, which take their values from the root)
    expect(files.filter((f) => f.path.includes('/cardinal-lakerunner/'))).toHaveLength(14);
    // When cfn-lint checks them all, then it finds nothing at any level
    const findings = await lintTexts(files, { includeChecks: ['I'] });
    expect(formatFindings(findings)).toBe('');
  }, 240_000);
});
