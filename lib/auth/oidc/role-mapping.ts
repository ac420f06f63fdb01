// Which role an OpenID Connect user gets from the identity provider's claim, and whether it
// replaces the role they have: the claim wins when it maps to a role; otherwise an admin's choice
// is kept, and anyone else gets the default role or is refused.
import type { Role } from '../roles';
import type { RoleSource } from '../users';

export interface RoleMapping {
  /** Claim name, or a dotted path into nested claims (realm_access.roles). */
  readonly claim: string;
  readonly admin: readonly string[];
  readonly deployer: readonly string[];
  readonly defaultRole: 'viewer' | 'none';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The claim's values: a string or a list of strings, looked up by its full name first (namespaced
 * claims such as https://example.com/groups contain dots), then as a dotted path.
 */
export function claimValues(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = Object.hasOwn(claims, name)
    ? claims[name]
    : name.split('.').reduce<unknown>((at, key) => (isObject(at) && Object.hasOwn(at, key) ? at[key] : undefined), claims);
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The highest role the values map to, or undefined when none is mapped. */
export function mappedRole(values: readonly string[], mapping: RoleMapping): Role | undefined {
  if (values.some((v) => mapping.admin.includes(v))) return 'admin';
  if (values.some((v) => mapping.deployer.includes(v))) return 'deployer';
  return undefined;
}

export type RoleDecision =
  | { readonly kind: 'set'; readonly role: Role; readonly source: 'claim' | 'default' }
  | { readonly kind: 'keep' }
  | { readonly kind: 'refuse' };

/** What a sign-in does to the role; `current` is the existing user, undefined for a newcomer. */
export function decideRole(
  mapped: Role | undefined,
  current: { readonly roleSource: RoleSource } | undefined,
  defaultRole: RoleMapping['defaultRole'],
): RoleDecision {
  if (mapped) return { kind: 'set', role: mapped, source: 'claim' };
  if (current?.roleSource === 'admin') return { kind: 'keep' };
  return defaultRole === 'none' ? { kind: 'refuse' } : { kind: 'set', role: defaultRole, source: 'default' };
}
