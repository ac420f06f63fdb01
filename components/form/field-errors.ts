// A form's field errors as react-hook-form keeps them (nested by path, with a `root` entry for the
// form as a whole), read as dotted paths: for a field's message, the error summary and the first
// field to fix. Framework-free; the hooks that subscribe to them are in use-field-errors.ts.
import type { FieldErrors } from 'react-hook-form';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What an error entry holds besides the errors of fields below it. */
const ENTRY_KEYS = new Set(['type', 'message', 'ref', 'types']);

/** The error message at a dotted path, if any. */
export function errorAt(errors: FieldErrors | undefined, path: string): string | undefined {
  let current: unknown = errors;
  for (const key of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return isObject(current) && typeof current.message === 'string' ? current.message : undefined;
}

/**
 * Every field's error as [path, message] pairs, in the order the check reported them. The form's
 * own error (`root`: say, the checks could not be loaded) blames no field and is left out.
 */
export function flattenErrors(errors: FieldErrors | undefined, prefix = ''): [string, string][] {
  if (!errors) return [];
  return Object.entries(errors).flatMap(([key, value]): [string, string][] => {
    if ((!prefix && key === 'root') || (prefix && ENTRY_KEYS.has(key)) || !isObject(value)) return [];
    const path = prefix ? `${prefix}.${key}` : key;
    const own: [string, string][] = typeof value.message === 'string' ? [[path, value.message]] : [];
    return [...own, ...flattenErrors(value as FieldErrors, path)];
  });
}

/** The form's own error (not any field's): why it could not be checked at all. */
export const formErrorOf = (errors: FieldErrors | undefined): string | undefined => errorAt(errors, 'root');

/** Focuses a control, first opening the <details> section it may be folded into. */
export function revealAndFocus(control: Pick<Element, 'closest'> & { focus(): void }) {
  control.closest('details')?.setAttribute('open', '');
  control.focus();
}

/** The element that comes first in the page. */
export function firstInPageOrder<T extends { compareDocumentPosition(other: T): number }>(elements: readonly T[]): T | undefined {
  // Node.DOCUMENT_POSITION_PRECEDING (2): `other` comes before the first so far.
  return elements.reduce<T | undefined>((first, other) => (!first || first.compareDocumentPosition(other) & 2 ? other : first), undefined);
}
