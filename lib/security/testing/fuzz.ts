// Builds malformed payloads from a valid baseline: one to three fields replaced by values that
// field can never accept (or removed when required), optionally with hostile extra keys, and
// remembers which fields were broken so the answer can be checked against them.
import fc from 'fast-check';
import { hostileExtraKeys, withKeys } from './hostile';

export type Path = readonly string[];

export interface FieldFuzz {
  path: Path;
  /** Values this field must refuse, whatever the other fields hold. */
  invalid: fc.Arbitrary<unknown>;
  /** Removing the field is also a corruption. */
  required?: boolean;
  /** The field-error key the answer must use for it; default: the dotted path. */
  reportedAs?: string;
}

export interface Malformed<T = unknown> {
  payload: T;
  /** Dotted paths of the corrupted fields; empty when the whole payload is garbage. */
  corrupted: string[];
}

const MISSING = Symbol('missing');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deep copy that keeps "__proto__" and friends as ordinary own keys. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (!isRecord(value)) return value;
  return withKeys({}, Object.fromEntries(Object.keys(value).map((key) => [key, cloneJson(value[key])]))) as T;
}

function setIn(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isRecord(next)) return;
    node = next;
  }
  const last = path[path.length - 1]!;
  if (value === MISSING) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, configurable: true, writable: true });
}

function objectPaths(value: unknown, path: Path = []): Path[] {
  if (!isRecord(value)) return [];
  return [path, ...Object.keys(value).flatMap((key) => objectPaths(value[key], [...path, key]))];
}

/** Payloads with 1–3 corrupted fields and sometimes hostile extra keys somewhere in the object. */
export function corruptedPayloads<T extends Record<string, unknown>>(
  baseline: () => T,
  fields: readonly FieldFuzz[],
  /** Where hostile extra keys may go (default: any object in the payload). */
  extrasAllowed: (path: Path) => boolean = () => true,
  /**
   * The field a refusal of extra keys placed at `path` is reported as, when the object there is
   * checked strictly: such a payload has one more fault, and the answer may name that one.
   */
  extrasReportedAs: (path: Path) => string | undefined = () => undefined,
): fc.Arbitrary<Malformed<T>> {
  const choice = fields.map((field) =>
    fc.oneof(...[field.invalid, ...(field.required ? [fc.constant(MISSING)] : [])]).map((value) => ({ path: field.path, value, reportedAs: field.reportedAs ?? field.path.join('.') })),
  );
  return fc
    .tuple(
      fc.uniqueArray(fc.nat({ max: choice.length - 1 }), { minLength: 1, maxLength: Math.min(3, choice.length) }).chain((picked) => fc.tuple(...picked.map((i) => choice[i]!))),
      fc.option(fc.tuple(hostileExtraKeys, fc.nat()), { freq: 3 }),
    )
    .map(([changes, extra]) => {
      const payload = cloneJson(baseline());
      for (const change of changes) setIn(payload, change.path, change.value);
      const corrupted = changes.map((c) => c.reportedAs);
      if (extra) {
        const places = objectPaths(payload).filter(extrasAllowed);
        if (places.length === 0) return { payload, corrupted };
        const place = places[extra[1] % places.length]!;
        const reported = extrasReportedAs(place);
        if (reported !== undefined) corrupted.push(reported);
        const parent = place.length === 0 ? payload : place.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, payload);
        const node = place.length === 0 ? payload : (parent[place[place.length - 1]!] as Record<string, unknown>);
        const merged = withKeys(node, extra[0]);
        if (place.length === 0) return { payload: merged as T, corrupted };
        Object.defineProperty(parent, place[place.length - 1]!, { value: merged, enumerable: true, configurable: true, writable: true });
      }
      return { payload, corrupted };
    });
}

/**
 * Whether a field-error key names one of the corrupted fields (or a field inside or around it);
 * a corrupted root ("") is named by any key.
 */
export function namesCorruptedField(key: string, corrupted: readonly string[]): boolean {
  return corrupted.some((path) => path === '' || key === path || key.startsWith(`${path}.`) || path.startsWith(`${key}.`));
}

/**
 * Anything in an answer that looks like a stack trace, a source position or an internal error name.
 * No unbounded repetition before a literal: answers echo 300 KB inputs, and backtracking on those
 * would take minutes.
 */
export const TRACE_PATTERN = /\n\s+at \S|\.(?:ts|tsx|js|mjs|cjs):\d+:\d+|node_modules|\/work\/|(?:Type|Reference|Range|Syntax)Error\b|SQLITE_/;

/** A value for a failure message: long strings cut, the whole at most 2,000 characters. */
export function brief(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v));
  return (text ?? String(value)).slice(0, 2000);
}

/**
 * Checks `property` on every example, then on `numRuns` random values, and returns how many were
 * tried. A failure is reported with the shrunk counterexample cut to a readable size (huge strings
 * would bury the message).
 */
export async function fuzz<T>(arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void>, numRuns: number, examples: readonly T[] = []): Promise<number> {
  let tried = 0;
  const counted = async (value: T) => {
    tried += 1;
    await property(value);
  };
  const details = await fc.check(fc.asyncProperty(arbitrary, counted), { numRuns: numRuns + examples.length, examples: examples.map((e) => [e] as [T]) });
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`Failed on run ${details.numRuns} (seed ${details.seed}, path "${details.counterexamplePath}"):\n${brief(details.counterexample)}\n${error.slice(0, 3000)}`);
  }
  return tried;
}

/** The baseline with one field set to `value`: a hand-picked malformed payload. */
export function example<T extends Record<string, unknown>>(baseline: () => T, field: FieldFuzz, value: unknown): Malformed<T> {
  const payload = cloneJson(baseline());
  setIn(payload, field.path, value);
  return { payload, corrupted: [field.reportedAs ?? field.path.join('.')] };
}
