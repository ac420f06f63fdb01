// Console roles, lowest to highest: each role may do everything the roles below it may.
// Isomorphic: the header and the policy table use it too.

export const ROLES = ['viewer', 'deployer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  viewer: 'Viewer: reads plans, history and progress',
  deployer: 'Deployer: also runs plans and operations',
  admin: 'Admin: also manages users and credential settings',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
