// Byte sizes and resource counts of every default template, for the benchmark and the notes.
import 'server-only';
import { byteLength, toJson, toYaml } from '@/lib/cfn/serialize';
import { allStacks } from './index';
import { renderTemplate } from './stack';

export interface TemplateSize {
  stem: string;
  yamlBytes: number;
  /** Compact JSON: what counts against CloudFormation's 51,200-byte TemplateBody limit. */
  jsonBytes: number;
  resources: number;
}

export function templateSizes(): TemplateSize[] {
  return allStacks().map((stack) => {
    const template = renderTemplate(stack);
    return {
      stem: stack.stem,
      yamlBytes: byteLength(toYaml(template)),
      jsonBytes: byteLength(toJson(template)),
      resources: Object.keys(template.Resources).length,
    };
  });
}
