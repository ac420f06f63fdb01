import type { RoleSource } from '@/lib/auth/users';

const NOTES: Readonly<Record<RoleSource, (claim: string) => string>> = {
  claim: (claim) => `From the ${claim} claim at their last sign-in; a change here lasts until their next sign-in.`,
  admin: (claim) => `Set by an admin; kept while their ${claim} claim maps to no role.`,
  default: (claim) => `The default role: their ${claim} claim maps to no role. A change here is kept.`,
};

/** Under an OpenID Connect user's role: whether the identity provider's claim or an admin decides it. */
export function RoleSourceNote({ id, source, claim }: { id: string; source: RoleSource; claim: string }) {
  return (
    <p id={id} className="mt-1 max-w-xs text-xs text-slate-500">
      {NOTES[source](claim)}
    </p>
  );
}
