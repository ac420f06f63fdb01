// Byte sizes and resource counts of every default template of a release line (nested children
// included), for the benchmark and the notes.
import 'server-only';
import { withNestedTemplateFormat } from '@/lib/cfn/nested';
import { byteLength, toJson, toYaml } from '@/lib/cfn/serialize';
import { templateFiles } from './files';
import { STACKS_2025 as STACKS } from './line-2025';
import type { StackDefinition } from './stack';

export interface TemplateSize {
  /** The file's path without extension: a stem, or a child's folder and name. */
  stem: string;
  yamlBytes: number;
  /** Compact JSON: what counts against CloudFormation's 51,200-byte TemplateBody limit. */
  jsonBytes: number;
  resources: number;
}

export function templateSizes(stacks: readonly StackDefinition<string>[] = STACKS): TemplateSize[] {
  return templateFiles(stacks, 'yaml').map((file) => ({
    stem: file.path.replace(/\.yaml$/, ''),
    yamlBytes: byteLength(toYaml(file.template)),
    jsonBytes: byteLength(toJson(withNestedTemplateFormat(file.template, 'json'))),
    resources: Object.keys(file.template.Resources).length,
  }));
}
