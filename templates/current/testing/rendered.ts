// Test fixture: the current line rendered once with its defaults, by stack id and child id.
import { readTemplate } from '@/lib/cfn/resolve';
import type { Resource, Template } from '@/lib/cfn/template';
import { templateFiles } from '../../files';
import type { StackDefinition } from '../../stack';
import type { CurrentStackId } from '../ids';
import { CURRENT_STACKS } from '../index';

export const FILES = templateFiles(CURRENT_STACKS, 'yaml');

export function stackOf(id: CurrentStackId): StackDefinition<CurrentStackId> {
  const stack = CURRENT_STACKS.find((s) => s.id === id);
  if (!stack) throw new Error(`no stack ${id}`);
  return stack;
}

export function templateOf(id: CurrentStackId): Template {
  const file = FILES.find((f) => f.stackId === id && f.childId === undefined);
  if (!file) throw new Error(`no template for ${id}`);
  return file.template;
}

export function childOf(childId: string): Template {
  const file = FILES.find((f) => f.childId === childId);
  if (!file) throw new Error(`no child ${childId}`);
  return file.template;
}

export function resourceOf(template: Template, id: string): Resource {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource;
}

/** A resource's properties, typed loosely for assertions. */
export const propsOf = (template: Template, id: string) => (resourceOf(template, id).Properties ?? {}) as Record<string, unknown>;

/** Every rendered template with a readable name: a stem or cardinal-lakerunner/<child>. */
export const NAMED = FILES.map((f) => [f.path.replace(/\.yaml$/, ''), f] as const);

/** Reads a template as CloudFormation would with these parameter values (the rest at their defaults). */
export function readWith(template: Template, values: Record<string, string>, region = 'us-east-1') {
  const parameters = Object.fromEntries(
    Object.entries(template.Parameters ?? {}).map(([key, p]) => [key, key in values ? { ...p, Default: values[key] } : p]),
  );
  return readTemplate({ ...template, Parameters: parameters }, region);
}
