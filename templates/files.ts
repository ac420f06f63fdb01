// The files a release line's templates are published or bundled as: each stack's template at
// <stem>.<ext>, and its nested children at <ChildMeta.file>.<ext>, the root loading them with the
// same extension. Pure: scripts, the bench and the tests write or check what this returns.
import { childFileName, withNestedTemplateFormat } from '@/lib/cfn/nested';
import { serialize, type TemplateFormat } from '@/lib/cfn/serialize';
import type { Template } from '@/lib/cfn/template';
import { renderTemplate, type StackDefinition } from './stack';

export interface TemplateFile {
  /** Path relative to the output folder, e.g. cardinal-lakerunner/cert.yaml. */
  path: string;
  /** The stack the file belongs to, and the child id for a nested template. */
  stackId: string;
  childId?: string;
  template: Template;
}

/** Every template of `stacks`, rendered with `defaults[stackId]` as parameter defaults. */
export function templateFiles(
  stacks: readonly StackDefinition<string>[],
  format: TemplateFormat,
  defaults: Readonly<Record<string, Record<string, string>>> = {},
): TemplateFile[] {
  return stacks.flatMap((stack) => {
    const root: TemplateFile = {
      path: `${stack.stem}.${format}`,
      stackId: stack.id,
      template: withNestedTemplateFormat(renderTemplate(stack, defaults[stack.id]), format),
    };
    const children = stack.buildChildren?.() ?? {};
    return [
      root,
      ...(stack.children ?? []).map((meta): TemplateFile => {
        const template = children[meta.id];
        if (!template) throw new Error(`${stack.id} declares child ${meta.id} but builds no template for it`);
        return { path: childFileName(meta.file, format), stackId: stack.id, childId: meta.id, template };
      }),
    ];
  });
}

export const fileText = (file: TemplateFile, format: TemplateFormat) => serialize(file.template, format);
