// Label, help text and error message wired together for screen readers: the control gets
// aria-describedby pointing at both, and aria-invalid when there is an error.

export const helpId = (name: string) => `${name}-help`;
export const errorId = (name: string) => `${name}-error`;
export const fieldId = (name: string) => `field-${name.replace(/\./g, '-')}`;

function describedBy(name: string, hasHelp: boolean, error?: string) {
  return [hasHelp ? helpId(fieldId(name)) : '', error ? errorId(fieldId(name)) : ''].filter(Boolean).join(' ') || undefined;
}

/** The id and aria attributes that tie a control to its FieldShell's label, help and error. */
export function controlProps(name: string, hasHelp: boolean, error?: string) {
  return { id: fieldId(name), 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(name, hasHelp, error) } as const;
}

export function FieldShell({
  name,
  label,
  help,
  error,
  required,
  code,
  wide,
  children,
}: {
  name: string;
  label: string;
  /** The machine name shown beside the label (the CloudFormation parameter key). */
  code?: string;
  /** Spans both columns of a two-column fieldset. */
  wide?: boolean;
  help?: React.ReactNode;
  error?: string;
  required?: boolean;
  children: React.ReactNode;
}) {
  const id = fieldId(name);
  return (
    <div className={`grid content-start gap-1 ${wide ? 'md:col-span-2' : ''}`}>
      <div className="flex flex-wrap items-baseline gap-x-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
          {required && (
            <span className="ml-1 text-bad" aria-hidden="true">
              *
            </span>
          )}
        </label>
        {code && <code className="text-[11px] text-slate-500">{code}</code>}
      </div>
      {children}
      {help && (
        <p id={helpId(id)} className="text-xs text-slate-600">
          {help}
        </p>
      )}
      {error && (
        <p id={errorId(id)} className="text-sm text-bad">
          {error}
        </p>
      )}
    </div>
  );
}

export const inputClass =
  'w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm aria-[invalid=true]:border-bad aria-[invalid=true]:ring-1 aria-[invalid=true]:ring-bad disabled:bg-slate-100';
