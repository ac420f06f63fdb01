import { describe, expect, it } from 'vitest';
import { CURRENT_STACKS } from './current/index';
import { fileText, templateFiles } from './files';
import { STACKS_2025 as STACKS } from './line-2025';
import { defineStack, renderTemplate } from './stack';

describe('template files of a release line', () => {
  it('writes the 2025 line as before: one file per stack, nothing nested', () => {
    const files = templateFiles(STACKS, 'yaml');
    expect(files.map((f) => f.path)).toEqual(STACKS.map((s) => `${s.stem}.yaml`));
    for (const [i, stack] of STACKS.entries()) expect(files[i]?.template).toEqual(renderTemplate(stack));
  });

  it('writes the current line with the children under cardinal-lakerunner/, in the chosen format', () => {
    const files = templateFiles(CURRENT_STACKS, 'json');
    expect(files.filter((f) => f.childId).map((f) => f.path)).toEqual(
      ['cert', 'alb', 'migration', 'services-query', 'services-process', 'services-control', 'maestro'].map((c) => `cardinal-lakerunner/${c}.json`),
    );
    const root = files.find((f) => f.path === 'cardinal-lakerunner-services.json');
    expect(root?.template.Resources.Cert?.Properties?.TemplateURL).toEqual({ 'Fn::Sub': '${TemplateBaseUrl}cert.json' });
    expect(JSON.parse(fileText(root!, 'json')).Resources.Maestro.Properties.TemplateURL).toEqual({ 'Fn::Sub': '${TemplateBaseUrl}maestro.json' });
  });

  it('renders a plan\'s values as defaults of the stack they belong to', () => {
    const files = templateFiles(CURRENT_STACKS, 'yaml', { services: { OrgName: 'Acme' } });
    expect(files.find((f) => f.stackId === 'services' && !f.childId)?.template.Parameters?.OrgName?.Default).toBe('Acme');
    expect(files.find((f) => f.stackId === 'cwmetrics')?.template.Parameters?.NameSuffix?.Default).toBe('');
  });

  it('refuses a stack that declares a child it does not build', () => {
    const broken = defineStack<string>({
      ...(CURRENT_STACKS.find((s) => s.id === 'cluster') as (typeof CURRENT_STACKS)[number]),
      children: [{ id: 'ghost', logicalId: 'Ghost', file: 'x/ghost', title: 'Ghost' }],
      buildChildren: () => ({}),
    });
    expect(() => templateFiles([broken], 'yaml')).toThrow('cluster declares child ghost but builds no template for it');
  });
});
