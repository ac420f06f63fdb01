// Nested stacks and the format their templates are published in. A root template names its
// children `${TemplateBaseUrl}<file>.yaml`; written as JSON, the children are <file>.json and the
// root must load those. Which parameter a root loads its children from, and where their files sit
// in a published tree, is read from the root template itself. Isomorphic and pure.
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

/** A nested child as the root names it: its resource's logical id, and its file without extension. */
export interface NestedChildFile {
  readonly logicalId: string;
  /** e.g. cardinal-lakerunner/cert */
  readonly file: string;
}

/**
 * Where a root loads its children from. Its children's TemplateURLs are `${<parameter>}<rest>`;
 * published as a tree (the root at the top, each child at `<file>.<ext>`), the parameter's value is
 * the tree's URL followed by `folder`.
 */
export interface ChildTemplateBase {
  readonly parameter: string;
  /** e.g. cardinal-lakerunner/ (empty when the children sit beside the root). */
  readonly folder: string;
}

const SUB_FROM_PARAMETER = /^\$\{([A-Za-z0-9]+)\}([^$]+)$/;

/**
 * Reads the parameter and the folder from the root's nested stack resources; undefined for a root
 * without children. Throws when a child's TemplateURL is not `${Parameter}<name>` or when the
 * children disagree: such a root cannot be pointed at another copy of its children.
 */
export function childTemplateBase(template: Template, children: readonly NestedChildFile[]): ChildTemplateBase | undefined {
  let found: ChildTemplateBase | undefined;
  for (const child of children) {
    const resource = template.Resources[child.logicalId];
    if (resource?.Type !== NESTED_STACK_TYPE) throw new Error(`The template has no nested stack ${child.logicalId}.`);
    const url = resource.Properties?.TemplateURL as { 'Fn::Sub'?: unknown } | undefined;
    const sub = typeof url === 'object' && url !== null && typeof url['Fn::Sub'] === 'string' ? SUB_FROM_PARAMETER.exec(url['Fn::Sub']) : null;
    if (!sub || !template.Parameters?.[sub[1]!]) throw new Error(`${child.logicalId}'s TemplateURL is not \${Parameter}<file>, so it cannot load another copy of its template.`);
    const rest = sub[2]!;
    const extension = rest.slice(rest.lastIndexOf('.'));
    const path = `${child.file}${extension}`;
    if (!path.endsWith(rest) || !(path.length === rest.length || path[path.length - rest.length - 1] === '/'))
      throw new Error(`${child.logicalId} loads ${rest}, which is not where its file ${path} is published.`);
    const base = { parameter: sub[1]!, folder: path.slice(0, path.length - rest.length) };
    if (found && (found.parameter !== base.parameter || found.folder !== base.folder))
      throw new Error(`The children load from different places (${found.parameter}/${found.folder} and ${base.parameter}/${base.folder}).`);
    found = base;
  }
  return found;
}

/** A physical id that names a stack: a nested stack's id in its parent, `arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>`. */
const STACK_ARN = /^arn:[a-z-]+:cloudformation:[a-z0-9-]*:\d*:stack\/([^/]+)\/[^/]+$/;

/** The stack name in a stack ARN, or undefined when `arn` is not one. */
export function stackNameOfArn(arn: string | undefined): string | undefined {
  return arn ? STACK_ARN.exec(arn)?.[1] : undefined;
}
