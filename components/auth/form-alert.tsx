// The message under a form: a failure is announced at once (role=alert), a success politely.
export function FormAlert({ error, success }: { error?: string; success?: React.ReactNode }) {
  if (error) {
    return (
      <p role="alert" className="rounded border border-bad bg-red-50 px-3 py-2 text-sm text-bad">
        {error}
      </p>
    );
  }
  return (
    <div role="status" aria-live="polite" className={success ? 'rounded border border-ok bg-green-50 px-3 py-2 text-sm text-ok' : 'sr-only'}>
      {success}
    </div>
  );
}
