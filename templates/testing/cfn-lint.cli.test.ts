import { describe, expect, it } from 'vitest';
import type { Template } from '@/lib/cfn/template';
import { CfnLintMissingError, cfnLintVersion, lintTemplates } from './cfn-lint';

const template = (resources: Template['Resources']): Template => ({ AWSTemplateFormatVersion: '2010-09-09', Description: 'test', Resources: resources });
const logGroup = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } };

describe('the cfn-lint harness', () => {
  it('runs the installed cfn-lint 1.x', async () => {
    expect(await cfnLintVersion()).toMatch(/^1\.\d+\.\d+$/);
  });

  it('lints a batch in one run and names each finding by its template, rule, level, path and line', async () => {
    const findings = await lintTemplates([
      { name: 'clean', template: template({ Logs: { ...logGroup, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' } }) },
      { name: 'broken', template: template({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 13 } } }) },
    ]);
    expect(findings).toEqual([
      expect.objectContaining({ file: 'broken', rule: 'E3030', level: 'Error', path: 'Resources.Logs.Properties.RetentionInDays', line: expect.any(Number) }),
    ]);
    expect(findings[0]?.line).toBeGreaterThan(1);
  });

  it('reports informational rules only when asked to include them', async () => {
    const batch = [{ name: 'stateful', template: template({ Logs: logGroup }) }];
    expect(await lintTemplates(batch)).toEqual([]);
    const informational = await lintTemplates(batch, { includeChecks: ['I'] });
    expect(informational.map((f) => [f.rule, f.level, f.path])).toEqual([
      ['I3011', 'Informational', 'Resources.Logs'],
      ['I3011', 'Informational', 'Resources.Logs'],
    ]);
  });

  it('says clearly that cfn-lint is missing instead of passing', async () => {
    const attempt = lintTemplates([{ name: 'any', template: template({ Logs: logGroup }) }], { command: 'cfn-lint-that-is-not-installed' });
    await expect(attempt).rejects.toBeInstanceOf(CfnLintMissingError);
    await expect(attempt).rejects.toThrow(/cfn-lint was not found .*install it/);
  });

  it('refuses names that are not unique plain file names', async () => {
    await expect(lintTemplates([{ name: '../x', template: template({}) }])).rejects.toThrow(/plain file name/);
    const t = template({ Logs: logGroup });
    await expect(lintTemplates([{ name: 'a', template: t }, { name: 'a', template: t }])).rejects.toThrow(/unique/);
  });
});
