// Template text → plain object: JSON, or YAML 1.1 with CloudFormation's short-form tags
// (!Ref, !Sub, !GetAtt a.b, …) expanded to their long forms, as CloudFormation reads them.
import { parse as parseYaml, type CollectionTag, type ScalarTag, type Tags } from 'yaml';
import { AwsError } from '../core/errors';
import { isObject, type JsonObject } from './json';

const FUNCTIONS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
  Transform: 'Fn::Transform',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  Contains: 'Fn::Contains',
  EachMemberEquals: 'Fn::EachMemberEquals',
  EachMemberIn: 'Fn::EachMemberIn',
  RefAll: 'Fn::RefAll',
  ValueOf: 'Fn::ValueOf',
  ValueOfAll: 'Fn::ValueOfAll',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

function shortFormTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [short, long] of Object.entries(FUNCTIONS)) {
    const tag = `!${short}`;
    // `!GetAtt Resource.Attribute` splits at the first dot only: attributes may contain dots.
    const scalar = short === 'GetAtt' ? (v: string) => { const i = v.indexOf('.'); return i < 0 ? [v] : [v.slice(0, i), v.slice(i + 1)]; } : (v: string) => v;
    tags.push({ tag, resolve: (value: string) => ({ [long]: scalar(value) }) });
    tags.push({ tag, collection: 'seq', resolve: (seq) => ({ [long]: seq.toJSON() }) } as CollectionTag);
    tags.push({ tag, collection: 'map', resolve: (map) => ({ [long]: map.toJSON() }) } as CollectionTag);
  }
  return tags;
}

const CFN_TAGS = shortFormTags();
const TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
// CloudFormation's YAML 1.1 booleans are yes/no, true/false and on/off: a bare y or n stays text.
const BOOL: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$/,
  resolve: (text: string) => TRUE.test(text),
};
const tagName = (t: Tags[number]) => (typeof t === 'string' ? t : t.tag);
// Timestamps stay strings as well: CloudFormation reads `2010-09-09` as text, not as a date.
const customTags = (defaults: Tags) => [
  BOOL,
  ...defaults.filter((t) => !['timestamp', 'bool', 'tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:bool'].includes(tagName(t))),
  ...CFN_TAGS,
];

function lineColumn(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

const formatError = (message: string) => new AwsError('ValidationError', `Template format error: ${message}`);

export function parseTemplateText(text: string): JsonObject {
  const trimmed = text.trimStart();
  let parsed: unknown;
  if (trimmed.startsWith('{')) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String(error))?.[1];
      const at = lineColumn(text, Number(position ?? 0));
      throw formatError(`JSON not well-formed. (line ${at.line},  column ${at.column})`);
    }
  } else {
    try {
      parsed = parseYaml(text, { version: '1.1', customTags, uniqueKeys: true, maxAliasCount: 1000, prettyErrors: false });
    } catch (error) {
      const at = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      throw formatError(`YAML not well-formed. (line ${at?.line ?? 1}, column ${at?.col ?? 1})`);
    }
  }
  if (!isObject(parsed)) throw formatError('not a valid template object');
  return normalizeScalars(parsed) as JsonObject;
}

/** YAML 1.1 yields numbers and booleans where CloudFormation later wants their text forms; keep values, drop undefined. */
function normalizeScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeScalars);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value === undefined) return null;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeScalars(v)]));
  return value;
}
