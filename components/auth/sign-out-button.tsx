/** Signs out through POST /account/signout: a plain form, so it works on every page, even without JavaScript. */
export function SignOutButton({ className }: { className?: string }) {
  return (
    <form method="post" action="/account/signout" className="inline">
      <button type="submit" className={className ?? 'rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50'}>
        Sign out
      </button>
    </form>
  );
}
