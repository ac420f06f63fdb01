// Deterministic serialization of templates: canonical section order, long-form intrinsics,
// YAML safe for CloudFormation's YAML 1.1 parser, and compact JSON.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type DocumentOptions, type Node, type SchemaOptions, type ScalarTag, type ToStringOptions } from 'yaml';
import { stringTag } from 'yaml/util';
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

// Most strings in a template are logical ids, property names, resource types and other word-like
// tokens that YAML prints exactly as they are. Recognizing those first skips the yaml package's
// test of every string against each YAML 1.1 scalar type, which is most of the serialization
// time; every other string goes through the package's own stringifier. serialize.test.ts proves
// the output is byte-for-byte the package's own.
const PRINTS_AS_IS = /^[A-Za-z][\w:./-]*[\w./-]$/;
const YAML11_WORDS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[eE][-+]?\d+)$/;

const wordString: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const { value } = item;
    if (typeof value === 'string' && !item.type && !ctx.inFlow && PRINTS_AS_IS.test(value) && !YAML11_WORDS.test(value)) return value;
    return stringTag.stringify!(item, ctx, onComment, onChompKeep);
  },
};

// YAML 1.1 quoting keeps values such as "Yes", "No" and "0755" strings for CloudFormation.
// No directives: there are none to print, and looking for them walks the whole document again.
const YAML_OPTIONS: DocumentOptions & SchemaOptions & ToStringOptions = {
  version: '1.1',
  customTags: (tags) => tags.map((tag) => (typeof tag === 'object' && 'tag' in tag && tag.tag === stringTag.tag ? wordString : tag)),
  lineWidth: 0,
  directives: false,
};

/** Plain template data as yaml nodes: what Document's createNode does, without its alias and tag lookups. */
function toNode(value: unknown): Node {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(toNode(item ?? null));
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [key, item] of Object.entries(value)) if (item !== undefined) map.items.push(new Pair(new Scalar(key), toNode(item)));
    return map;
  }
  return new Scalar(value);
}

export function toYaml(template: Template): string {
  const document = new Document(null, YAML_OPTIONS);
  document.contents = toNode(canonicalize(template));
  return document.toString(YAML_OPTIONS);
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
