// Deterministic serialization of templates: canonical section order, long-form intrinsics,
// YAML safe for CloudFormation's YAML 1.1 parser, and compact JSON.
import { Document, Pair, Scalar, stringify, YAMLMap, YAMLSeq, type DocumentOptions, type Node, type SchemaOptions, type ScalarTag, type ToStringOptions } from 'yaml';
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

const printsAsIs = (value: string) => PRINTS_AS_IS.test(value) && !YAML11_WORDS.test(value);

const wordString: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const { value } = item;
    if (typeof value === 'string' && !item.type && !ctx.inFlow && printsAsIs(value)) return value;
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

// Block YAML written directly: maps and sequences the way the package lays them out (two-space
// indents, sequences indented under their key, a map or sequence in a sequence starting on the
// dash's line, {} and [] when empty), and each scalar as the package prints it as a map value,
// re-indented. Building and walking the package's nodes is most of the time otherwise. Anything
// this does not know (a key the package would write as an explicit "? " key) falls back to the
// package for the whole document; serialize.test.ts proves the output is byte-for-byte the same.
const SCALAR_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false, directives: false } as const;
const scalars = new Map<unknown, readonly string[] | null>();

/** The scalar's lines as the package prints it as a map value: the first after "k: ", the rest indented two. */
function scalarLines(value: unknown): readonly string[] | null {
  let lines = scalars.get(value);
  if (lines === undefined) {
    const text = stringify({ k: value }, SCALAR_OPTIONS);
    lines = text.startsWith('k: ') && text.endsWith('\n') ? text.slice(3, -1).split('\n') : null;
    // Both lines' templates hold about 2,400 distinct scalars; plans keep adding values, so the
    // cache stays bounded and long values (YAML overrides, scripts) are printed each time.
    if (typeof value !== 'string' || value.length <= 1024) {
      if (scalars.size >= 5_000) scalars.clear();
      scalars.set(value, lines);
    }
  }
  return lines;
}

function scalarText(value: unknown, indent: string): string | null {
  if (typeof value === 'string' && printsAsIs(value)) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  const lines = scalarLines(value ?? null);
  if (!lines) return null;
  return lines.map((line, i) => (i === 0 || line === '' ? line : indent + line)).join('\n');
}

function keyText(key: string): string | null {
  if (printsAsIs(key)) return key;
  const lines = scalarLines(key);
  // As a key the package prints single-line strings the way it prints values, except these.
  // A key that starts like a document marker is quoted or not depending on its depth.
  if (!lines || lines.length !== 1 || key.length > 1024 || /[\n\r]/.test(key) || /^(%|---|\.\.\.)/.test(key)) return null;
  const text = stringify({ [key]: 1 }, SCALAR_OPTIONS);
  return text.endsWith(': 1\n') && !text.startsWith('? ') ? text.slice(0, -4) : null;
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const entriesOf = (map: Record<string, unknown>) => Object.entries(map).filter(([, item]) => item !== undefined);
const isEmpty = (value: unknown) => (Array.isArray(value) ? value.length === 0 : isMap(value) && entriesOf(value).length === 0);

/** `value` (a non-empty map or sequence) as lines at `indent`, or null to fall back. */
function blockLines(value: unknown, indent: string, out: string[]): boolean {
  if (Array.isArray(value)) {
    for (const raw of value) {
      const item = raw ?? null;
      if ((isMap(item) || Array.isArray(item)) && !isEmpty(item)) {
        const start = out.length;
        if (!blockLines(item, `${indent}  `, out)) return false;
        out[start] = `${indent}- ${(out[start] as string).slice(indent.length + 2)}`;
      } else {
        const text = isEmpty(item) ? (Array.isArray(item) ? '[]' : '{}') : scalarText(item, indent);
        if (text === null) return false;
        out.push(`${indent}- ${text}`);
      }
    }
    return true;
  }
  for (const [key, item] of entriesOf(value as Record<string, unknown>)) {
    const k = keyText(key);
    if (k === null) return false;
    if ((isMap(item) || Array.isArray(item)) && !isEmpty(item)) {
      out.push(`${indent}${k}:`);
      if (!blockLines(item, `${indent}  `, out)) return false;
    } else {
      const text = isEmpty(item) ? (Array.isArray(item) ? '[]' : '{}') : scalarText(item, indent);
      if (text === null) return false;
      out.push(`${indent}${k}: ${text}`);
    }
  }
  return true;
}

function packageYaml(value: unknown): string {
  const document = new Document(null, YAML_OPTIONS);
  document.contents = toNode(value);
  return document.toString(YAML_OPTIONS);
}

export function toYaml(template: Template): string {
  const value = canonicalize(template);
  if (!isMap(value) || isEmpty(value)) return packageYaml(value);
  const lines: string[] = [];
  return blockLines(value, '', lines) ? `${lines.join('\n')}\n` : packageYaml(value);
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
