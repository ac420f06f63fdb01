// Evaluation of CloudFormation intrinsic functions against a scope (parameters, pseudo
// parameters, conditions, live resources, exports). Values not yet known (for change sets)
// travel as Unknown and poison whatever contains them.
import { AwsError } from '../core/errors';
import { isObject, type Json } from './json';

export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type AttrValue = string | string[];

/** A value that only exists once the change is executed (a new resource's id, a changed export). */
export class Unknown {
  constructor(
    readonly source: 'ResourceReference' | 'ResourceAttribute' | 'ParameterReference',
    readonly causingEntity: string,
  ) {}
}

export type Value = Json | Unknown | typeof NO_VALUE;

export interface Scope {
  param(name: string): AttrValue | Unknown | undefined;
  pseudo(name: string): AttrValue | typeof NO_VALUE | undefined;
  condition(name: string): boolean;
  isResource(logicalId: string): boolean;
  resourceRef(logicalId: string): AttrValue | Unknown;
  resourceAttr(logicalId: string, attribute: string): AttrValue | Unknown;
  importValue(name: string): string | Unknown;
  mapping(map: string, top: string, second: string): Json | undefined;
  azs(region: string): string[];
  region: string;
}

export const templateError = (message: string) => new AwsError('ValidationError', `Template error: ${message}`);
export const unresolved = (names: string[], block: string) =>
  new AwsError('ValidationError', `Template format error: Unresolved resource dependencies [${names.join(', ')}] in the ${block} block of the template`);

const INTRINSICS = new Set([
  'Ref',
  'Condition',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::If',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Fn::Not',
]);

/** The function name when `value` is an intrinsic call `{ "Fn::X": args }`. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  // An IAM policy statement's `Condition` block is an object; the intrinsic takes a name.
  if (key === 'Condition') return typeof value.Condition === 'string' ? key : undefined;
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

export const isUnknown = (v: unknown): v is Unknown => v instanceof Unknown;

function firstUnknown(values: readonly unknown[]): Unknown | undefined {
  for (const v of values) {
    if (v instanceof Unknown) return v;
    if (Array.isArray(v)) {
      const inner = firstUnknown(v);
      if (inner) return inner;
    }
  }
  return undefined;
}

const scalarText = (v: Value): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** `${A.B}` / `${!Literal}` parts of a Fn::Sub string. */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = match[1]!.trim();
    if (!name.startsWith('!')) names.push(name);
  }
  return names;
}

export function splitGetAtt(args: Json): [string, string] {
  if (typeof args === 'string') {
    const i = args.indexOf('.');
    if (i > 0) return [args.slice(0, i), args.slice(i + 1)];
  }
  if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'string') return [args[0], args[1]];
  throw templateError('Fn::GetAtt requires two arguments: the logical name of a resource and an attribute name');
}

function resolveRef(name: string, scope: Scope): Value {
  const pseudo = scope.pseudo(name);
  if (pseudo !== undefined) return pseudo;
  const param = scope.param(name);
  if (param !== undefined) return param;
  if (scope.isResource(name)) return scope.resourceRef(name);
  throw unresolved([name], 'Resources');
}

export function evaluate(expr: Json, scope: Scope): Value {
  if (Array.isArray(expr)) {
    const items = expr.map((item) => evaluate(item, scope)).filter((item) => item !== NO_VALUE);
    return items as Json[];
  }
  if (!isObject(expr)) return expr;
  const fn = intrinsicName(expr);
  if (!fn || !INTRINSICS.has(fn)) {
    const out: Record<string, Value> = {};
    for (const [key, value] of Object.entries(expr)) {
      const v = evaluate(value, scope);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out as Json;
  }
  const args = expr[fn]!;
  switch (fn) {
    case 'Ref': {
      if (typeof args !== 'string') throw templateError('Ref requires a string argument');
      return resolveRef(args, scope);
    }
    case 'Condition':
      if (typeof args !== 'string') throw templateError('Condition requires a string argument');
      return scope.condition(args);
    case 'Fn::GetAtt': {
      const [resource, attribute] = splitGetAtt(args);
      if (!scope.isResource(resource)) throw templateError(`instance of Fn::GetAtt references undefined resource ${resource}`);
      return scope.resourceAttr(resource, attribute);
    }
    case 'Fn::Sub':
      return evaluateSub(args, scope);
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') throw joinError();
      const items = evaluate(args[1]!, scope);
      if (items instanceof Unknown) return items;
      if (!Array.isArray(items)) throw joinError();
      const unknown = firstUnknown(items);
      if (unknown) return unknown;
      const texts = items.map(scalarText);
      if (texts.some((t) => t === undefined)) throw joinError();
      return texts.join(args[0]);
    }
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) throw templateError('Fn::Select requires a list argument with two elements: an integer index and a list');
      const index = evaluate(args[0]!, scope);
      const items = evaluate(args[1]!, scope);
      if (index instanceof Unknown) return index;
      if (items instanceof Unknown) return items;
      const i = Number(scalarText(index));
      if (!Number.isInteger(i) || i < 0) throw templateError('Fn::Select requires a list argument with two elements: an integer index and a list');
      if (!Array.isArray(items)) throw templateError('Fn::Select requires a list argument with two elements: an integer index and a list');
      if (i >= items.length) throw templateError(`Fn::Select cannot select nonexistent value at index ${i}`);
      return items[i]!;
    }
    case 'Fn::Split': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') throw templateError('every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split');
      const text = evaluate(args[1]!, scope);
      if (text instanceof Unknown) return text;
      const s = scalarText(text);
      if (s === undefined) throw templateError('every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split');
      return s.split(args[0]);
    }
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') throw templateError('Fn::If requires a list argument with three elements');
      return evaluate(scope.condition(args[0]) ? args[1]! : args[2]!, scope);
    }
    case 'Fn::Equals': {
      if (!Array.isArray(args) || args.length !== 2) throw templateError('Fn::Equals requires a list argument with two elements');
      return valuesEqual(evaluate(args[0]!, scope), evaluate(args[1]!, scope));
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2 || args.length > 10) throw templateError(`${fn} requires a list argument with between 2 and 10 elements`);
      const values = args.map((a) => evaluate(a, scope));
      if (values.some((v) => typeof v !== 'boolean')) throw templateError(`${fn} requires boolean arguments`);
      return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
    }
    case 'Fn::Not': {
      if (!Array.isArray(args) || args.length !== 1) throw templateError('Fn::Not requires a list argument with one element');
      const v = evaluate(args[0]!, scope);
      if (typeof v !== 'boolean') throw templateError('Fn::Not requires a boolean argument');
      return !v;
    }
    case 'Fn::ImportValue': {
      const name = evaluate(args, scope);
      if (name instanceof Unknown) return name;
      if (typeof name !== 'string') throw templateError('Fn::ImportValue requires a string argument');
      return scope.importValue(name);
    }
    case 'Fn::GetAZs': {
      const region = evaluate(args, scope);
      if (region instanceof Unknown) return region;
      const name = scalarText(region) ?? '';
      return scope.azs(name === '' ? scope.region : name);
    }
    case 'Fn::Base64': {
      const v = evaluate(args, scope);
      if (v instanceof Unknown) return v;
      const s = scalarText(v);
      if (s === undefined) throw templateError('Fn::Base64 requires a string argument');
      return Buffer.from(s, 'utf8').toString('base64');
    }
    case 'Fn::Cidr': {
      if (!Array.isArray(args) || args.length !== 3) throw templateError('Fn::Cidr requires a list argument with three elements');
      const [block, count, bits] = args.map((a) => evaluate(a, scope));
      const unknown = firstUnknown([block, count, bits]);
      if (unknown) return unknown;
      return cidrSubnets(scalarText(block!) ?? '', Number(scalarText(count!)), Number(scalarText(bits!)));
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(args) || args.length !== 3) throw templateError('Fn::FindInMap requires a list argument with three elements');
      const [map, top, second] = args.map((a) => evaluate(a, scope));
      const unknown = firstUnknown([map, top, second]);
      if (unknown) return unknown;
      const keys = [map, top, second].map((k) => scalarText(k as Value));
      const value = scope.mapping(keys[0] ?? '', keys[1] ?? '', keys[2] ?? '');
      if (value === undefined) throw templateError(`Unable to get mapping for ${keys.join('::')}`);
      return value;
    }
    default:
      throw templateError(`Unsupported intrinsic function ${fn}`);
  }
}

const joinError = () =>
  templateError(
    'every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.',
  );

function valuesEqual(a: Value, b: Value): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x as Value, b[i] as Value));
  }
  return scalarText(a) === scalarText(b);
}

function evaluateSub(args: Json, scope: Scope): Value {
  let text: Json;
  let vars: Record<string, Value> = {};
  if (typeof args === 'string') text = args;
  else if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && isObject(args[1])) {
    text = args[0];
    vars = Object.fromEntries(Object.entries(args[1]).map(([k, v]) => [k, evaluate(v, scope)]));
  } else {
    throw templateError(
      "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
    );
  }
  let unknown: Unknown | undefined;
  const result = (text as string).replace(/\$\{([^}]*)\}/g, (_, raw: string) => {
    const name = raw.trim();
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    let value: Value;
    if (name in vars) value = vars[name]!;
    else if (name.includes('.') && scope.pseudo(name) === undefined) {
      const i = name.indexOf('.');
      const resource = name.slice(0, i);
      if (!scope.isResource(resource)) throw unresolved([name], 'Resources');
      value = scope.resourceAttr(resource, name.slice(i + 1));
    } else value = resolveRef(name, scope);
    if (value instanceof Unknown) {
      unknown ??= value;
      return '';
    }
    const s = scalarText(value);
    if (s === undefined) throw templateError(`variable ${name} in Fn::Sub expression does not resolve to a string`);
    return s;
  });
  return unknown ?? result;
}

/** Fn::Cidr: `count` consecutive subnets with `bits` host bits, from the start of `block`. */
export function cidrSubnets(block: string, count: number, bits: number): string[] {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block);
  if (!match) throw templateError(`Invalid cidr block ${block} in Fn::Cidr`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw templateError(`Invalid cidr block ${block} in Fn::Cidr`);
  const newPrefix = 32 - bits;
  if (!Number.isInteger(count) || count < 1 || count > 256 || !Number.isInteger(bits) || newPrefix < prefix || bits < 0) {
    throw templateError('Fn::Cidr requires a count between 1 and 256 and cidrBits that fit within the block');
  }
  if (count > 2 ** (newPrefix - prefix)) throw templateError(`Fn::Cidr: cannot split ${block} into ${count} subnets of /${newPrefix}`);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : base - (base % 2 ** (32 - prefix));
  const size = 2 ** bits;
  return Array.from({ length: count }, (_, i) => `${toIp(network + i * size)}/${newPrefix}`);
}

export const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
export function parseCidr(cidr: string): { start: number; end: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) return undefined;
  return { start: base, end: base + size - 1, prefix };
}

/**
 * Every name an expression refers to: Ref targets, GetAtt resources, Sub variables, conditions.
 * `prune` skips the branches Fn::If does not take, for dependency order under known conditions.
 */
export function collectReferences(expr: Json, prune?: (condition: string) => boolean) {
  const refs = new Set<string>();
  const getAtts: [string, string][] = [];
  const conditions = new Set<string>();
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    const fn = intrinsicName(node);
    const args = fn ? node[fn]! : undefined;
    if (fn === 'Ref' && typeof args === 'string') refs.add(args);
    else if (fn === 'Fn::GetAtt') {
      try {
        getAtts.push(splitGetAtt(args!));
      } catch {
        walk(args!);
      }
    } else if (fn === 'Fn::Sub') {
      const [text, vars] = typeof args === 'string' ? [args, {}] : Array.isArray(args) ? [args[0], args[1]] : [undefined, undefined];
      const local = isObject(vars) ? vars : {};
      if (typeof text === 'string') {
        for (const name of subVariables(text)) {
          if (name in local) continue;
          const i = name.indexOf('.');
          if (i > 0 && !name.startsWith('AWS::')) getAtts.push([name.slice(0, i), name.slice(i + 1)]);
          else refs.add(name);
        }
      }
      Object.values(local).forEach(walk);
    } else if (fn === 'Fn::If' && Array.isArray(args) && typeof args[0] === 'string') {
      conditions.add(args[0]);
      if (prune) walk(prune(args[0]) ? args[1]! : args[2]!);
      else args.slice(1).forEach(walk);
    } else if (fn === 'Condition' && typeof args === 'string') conditions.add(args);
    else Object.values(node).forEach(walk);
  };
  walk(expr);
  return { refs, getAtts, conditions };
}
