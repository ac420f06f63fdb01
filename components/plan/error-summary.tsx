'use client';

import { useErrorList } from '@/components/form/use-field-errors';
import { fieldId } from '@/components/ui/field';
import { focusField } from './use-plan-form';

/** After a failed check, lists every field to fix with a link that focuses it. */
export function ErrorSummary({ visible, message }: { visible: boolean; message?: string }) {
  const errors = useErrorList();
  if (!visible || (errors.length === 0 && !message)) return null;
  return (
    <div role="alert" className="rounded-lg border border-bad bg-red-50 p-4 text-sm">
      {message && <p className="font-semibold">{message}</p>}
      {errors.length > 0 && (
        <>
          <p className="font-semibold">
            {errors.length === 1 ? '1 field needs attention:' : `${errors.length} fields need attention:`}
          </p>
          <ul className="mt-2 list-disc pl-5">
            {errors.map(([path, text]) => (
              <li key={path}>
                <a
                  href={`#${fieldId(path)}`}
                  className="text-bad underline"
                  onClick={(event) => {
                    event.preventDefault();
                    focusField(path);
                  }}
                >
                  {text}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
