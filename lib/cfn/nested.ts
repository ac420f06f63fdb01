// Nested stacks and the format their templates are published in. A root template names its
// children `${TemplateBaseUrl}<file>.yaml`; written as JSON, the children are <file>.json and the
// root must load those. Isomorphic and pure.
import type { TemplateFormat } from './serialize';
import type { Template } from './template';

export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/** The file a child template is written to: its path without extension, plus the format's. */
export const childFileName = (file: string, format: TemplateFormat) => `${file}.${format}`;

/**
 * The root template with every nested stack's TemplateURL ending in `.<format>` instead of `.yaml`
 * (the extension builders write). Templates without nested stacks come back unchanged.
 */
export function withNestedTemplateFormat(template: Template, format: TemplateFormat): Template {
  if (format === 'yaml') return template;
  let changed = false;
  const resources = Object.fromEntries(
    Object.entries(template.Resources).map(([id, resource]) => {
      const url = resource.Properties?.TemplateURL as { 'Fn::Sub'?: unknown } | string | undefined;
      if (resource.Type !== NESTED_STACK_TYPE || url === undefined) return [id, resource];
      const retarget = (text: string) => text.replace(/\.yaml$/, `.${format}`);
      const next =
        typeof url === 'string' ? retarget(url) : typeof url['Fn::Sub'] === 'string' ? { 'Fn::Sub': retarget(url['Fn::Sub']) } : url;
      changed = true;
      return [id, { ...resource, Properties: { ...resource.Properties, TemplateURL: next } }];
    }),
  );
  return changed ? { ...template, Resources: resources } : template;
}
