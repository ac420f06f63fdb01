// Plain JSON value types and small helpers shared by the CloudFormation modules.
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A member CloudFormation and IAM accept as one value or a list of them (DependsOn, Statement, Action…), as a list. */
export const listOf = (value: Json | undefined): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A resolved property as text: strings as they are, numbers written out; anything else is absent. */
export const propString = (props: JsonObject, key: string): string | undefined => {
  const v = props[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};

/** The strings of a resolved list property (anything else in it is skipped). */
export const propStrings = (props: JsonObject, key: string): string[] => {
  const v = props[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** Structural equality, order-sensitive for arrays and insensitive for object keys. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export const clone = <T>(value: T): T => structuredClone(value);
