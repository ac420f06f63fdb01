'use client';

import { fieldId } from '@/components/ui/field';
import type { LineMeta } from '@/templates/line';
import type { LineId } from '@/templates/stack';

type Choice = Pick<LineMeta, 'id' | 'title' | 'summary' | 'release'>;

/** Says once why the choice matters: a deployment never moves between lines. */
export const NO_IN_PLACE_PATH =
  'There is no in-place path between release lines: a deployment stays on the line it was created on, and moving to another line means a fresh install beside it (then moving the data yourself). What you enter is kept for each line.';

/**
 * The plan's first choice: which release line to deploy, one sentence on each. Shown only when
 * more than one line is registered.
 */
export function ReleaseChoice({ lines, value, onChange, error }: { lines: readonly Choice[]; value: LineId; onChange: (id: LineId) => void; error?: string }) {
  if (lines.length < 2) return null;
  const id = fieldId('release');
  return (
    <fieldset id={id} tabIndex={-1} role="radiogroup" aria-describedby={`${id}-note${error ? ` ${id}-error` : ''}`} className="grid gap-2">
      <legend className="text-sm font-medium text-slate-800">Release line</legend>
      {lines.map((line) => (
        <div key={line.id} className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name="release"
            value={line.id}
            id={`${id}-${line.id}`}
            checked={value === line.id}
            onChange={() => onChange(line.id)}
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
      {error && (
        <p id={`${id}-error`} className="text-sm text-bad">
          {error}
        </p>
      )}
    </fieldset>
  );
}
