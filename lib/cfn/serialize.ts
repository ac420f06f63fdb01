// Deterministic serialization of templates: canonical section order, long-form intrinsics,
// YAML safe for CloudFormation's YAML 1.1 parser, and compact JSON.
import { stringify } from 'yaml';
import type { Template } from './template';

const TOP_LEVEL = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs'];
const RESOURCE_KEYS = ['Type', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'Properties'];
const PARAMETER_KEYS = ['Type', 'Description', 'Default', 'AllowedValues', 'AllowedPattern', 'MinLength', 'MaxLength', 'MinValue', 'MaxValue', 'ConstraintDescription', 'NoEcho'];
const OUTPUT_KEYS = ['Description', 'Condition', 'Value', 'Export'];

export type TemplateFormat = 'yaml' | 'json';

function ordered(object: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const known = order.filter((key) => object[key] !== undefined).map((key) => [key, object[key]] as const);
  const rest = Object.keys(object)
    .filter((key) => !order.includes(key) && object[key] !== undefined)
    .map((key) => [key, object[key]] as const);
  return Object.fromEntries([...known, ...rest]);
}

function mapValues<T>(record: Record<string, T> | undefined, order: readonly string[]) {
  if (!record) return undefined;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, ordered(v as Record<string, unknown>, order)]));
}

/** The template with its sections, resources, parameters and outputs in canonical key order. */
export function canonicalize(template: Template): Record<string, unknown> {
  return ordered(
    {
      ...template,
      Parameters: mapValues(template.Parameters, PARAMETER_KEYS),
      Resources: mapValues(template.Resources, RESOURCE_KEYS),
      Outputs: mapValues(template.Outputs, OUTPUT_KEYS),
    },
    TOP_LEVEL,
  );
}

export function toYaml(template: Template): string {
  // YAML 1.1 quoting keeps values such as "Yes", "No" and "0755" strings for CloudFormation.
  // No directives: there are none to print, and looking for them walks the whole document again.
  return stringify(canonicalize(template), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, directives: false });
}

export function toJson(template: Template): string {
  return JSON.stringify(canonicalize(template));
}

export function serialize(template: Template, format: TemplateFormat): string {
  return format === 'yaml' ? toYaml(template) : toJson(template);
}

export const contentType = (format: TemplateFormat) =>
  format === 'yaml' ? 'application/yaml; charset=utf-8' : 'application/json; charset=utf-8';

/** CloudFormation's limit for a TemplateBody passed inline. Larger templates must go through S3. */
export const TEMPLATE_BODY_LIMIT = 51_200;

export const byteLength = (text: string) => new TextEncoder().encode(text).length;
