/**
 * "Sign in with <provider>": a link to the route that sends the browser to the provider (a form
 * could not follow that redirect under the console's Content-Security-Policy).
 */
export function OidcSignInLink({ name, next }: { name: string; next: string }) {
  const href = next === '/' ? '/auth/oidc/start' : `/auth/oidc/start?${new URLSearchParams({ next })}`;
  return (
    <a href={href} className="rounded bg-brand px-4 py-2 text-center font-medium text-white hover:bg-brand-dark">
      Sign in with {name}
    </a>
  );
}
