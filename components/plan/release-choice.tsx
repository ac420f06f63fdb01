'use client';

import { fieldId } from '@/components/ui/field';
import type { LineId } from '@/templates/stack';
import type { LineChoice, LineLoad } from './line-cache';

/** Says once why the choice matters: a deployment never moves between lines. */
export const NO_IN_PLACE_PATH =
  'There is no in-place path between release lines: a deployment stays on the line it was created on, and moving to another line means a fresh install beside it (then moving the data yourself). What you enter is kept for each line.';

const NOT_LOADING: LineLoad = { status: 'idle' };

/**
 * The plan's first choice: which release line to deploy, one sentence on each. Shown only when
 * more than one line is registered. A line whose fields are still on their way shows as chosen,
 * with a note; one whose fields could not be loaded says why, with a way to try again.
 */
export function ReleaseChoice({
  lines,
  value,
  load = NOT_LOADING,
  onChange,
  onPrefetch,
  error,
}: {
  lines: readonly LineChoice[];
  value: LineId;
  load?: LineLoad;
  onChange: (id: LineId) => void;
  /** The pointer or focus is on a line's choice: its fields may be loaded ahead. */
  onPrefetch?: (id: LineId) => void;
  error?: string;
}) {
  if (lines.length < 2) return null;
  const id = fieldId('release');
  const chosen = load.status === 'loading' ? load.id : value;
  const titleOf = (line: LineId) => lines.find((l) => l.id === line)?.title ?? line;
  return (
    <fieldset id={id} tabIndex={-1} role="radiogroup" aria-describedby={`${id}-note${error ? ` ${id}-error` : ''}`} className="grid gap-2">
      <legend className="text-sm font-medium text-slate-800">Release line</legend>
      {lines.map((line) => (
        <div key={line.id} className="flex items-start gap-2 text-sm" onPointerEnter={line.id === value ? undefined : () => onPrefetch?.(line.id)}>
          <input
            type="radio"
            name="release"
            value={line.id}
            id={`${id}-${line.id}`}
            checked={chosen === line.id}
            onChange={() => onChange(line.id)}
            onFocus={line.id === value ? undefined : () => onPrefetch?.(line.id)}
            aria-describedby={`${id}-${line.id}-help`}
            className="mt-1"
          />
          <div>
            <label htmlFor={`${id}-${line.id}`} className="font-semibold">
              {line.title}
            </label>{' '}
            <span className="text-xs text-slate-600">{line.release}</span>
            <p id={`${id}-${line.id}-help`} className="text-xs text-slate-600">
              {line.summary}
            </p>
          </div>
        </div>
      ))}
      <p id={`${id}-note`} className="text-xs text-slate-600">
        {NO_IN_PLACE_PATH}
      </p>
      {/* Always there, so what it says is announced when it changes. */}
      <div aria-live="polite" className="text-sm" data-testid="release-load">
        {load.status === 'loading' && <p className="text-slate-700">Loading the fields of the {titleOf(load.id)} line…</p>}
        {load.status === 'error' && (
          <p className="text-bad">
            {load.message}{' '}
            <button type="button" onClick={() => onChange(load.id)} className="rounded border border-slate-300 px-2 py-0.5 text-slate-800 hover:bg-slate-50">
              Try again
            </button>
          </p>
        )}
      </div>
      {error && (
        <p id={`${id}-error`} className="text-sm text-bad">
          {error}
        </p>
      )}
    </fieldset>
  );
}
