// The one place that says who may open what. proxy.ts enforces it on every request; anything not
// listed here is open to admins only (and logged). Isomorphic and free of secrets: the header's
// navigation and the route-protection test read it too.
//
// To register a route, add an entry ABOVE any broader pattern that would also match it (the first
// match wins). Patterns are paths whose segments are literals, `*` (exactly one segment) or a
// final `**` (zero or more segments). Server actions POST to the path of the page they are used
// on, so the page's entry covers them; they also check their own role through defineAction.
import { roleAtLeast, type Role } from './roles';

export type Access = 'public' | Role;
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface PolicyEntry {
  readonly pattern: string;
  /** Omitted: every method. */
  readonly methods?: readonly HttpMethod[];
  readonly access: Access;
}

const READ: readonly HttpMethod[] = ['GET', 'HEAD'];

export const ROUTE_POLICY: readonly PolicyEntry[] = [
  // Public: the sign-in page (and its sign-in action), OpenID Connect sign-in, static assets, the
  // default templates.
  { pattern: '/signin', access: 'public' },
  { pattern: '/healthz', methods: READ, access: 'public' },
  { pattern: '/auth/oidc/*', methods: READ, access: 'public' },
  { pattern: '/_next/static/**', methods: READ, access: 'public' },
  { pattern: '/favicon.ico', methods: READ, access: 'public' },
  { pattern: '/icon.svg', methods: READ, access: 'public' },
  { pattern: '/robots.txt', methods: READ, access: 'public' },
  { pattern: '/templates/*', methods: READ, access: 'public' },

  { pattern: '/', access: 'viewer' },
  { pattern: '/stacks/*', access: 'viewer' },
  { pattern: '/plan', access: 'viewer' },
  { pattern: '/api/templates/**', access: 'viewer' },
  { pattern: '/api/plan/**', access: 'viewer' },
  { pattern: '/api/runs/*/events', methods: READ, access: 'viewer' },
  { pattern: '/api/aws/deploy-role', methods: READ, access: 'viewer' },
  { pattern: '/api/aws/network', methods: READ, access: 'viewer' },
  { pattern: '/api/aws/stack-outputs', methods: READ, access: 'viewer' },
  { pattern: '/api/aws/stack-outputs', access: 'deployer' },
  { pattern: '/deployments/**', methods: READ, access: 'viewer' },
  { pattern: '/deployments/**', access: 'deployer' },
  { pattern: '/runs/**', methods: READ, access: 'viewer' },
  { pattern: '/runs/**', access: 'deployer' },
  { pattern: '/history', access: 'viewer' },
  { pattern: '/account/**', access: 'viewer' },
  { pattern: '/admin/**', access: 'admin' },
];

/** Segments decoded one by one, so /%61dmin is matched as /admin; undefined when undecodable. */
function segments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).filter((s, i, all) => s !== '' || i < all.length - 1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export function matchesPattern(pattern: string, pathname: string): boolean {
  const want = pattern === '/' ? [] : pattern.split('/').slice(1);
  const have = segments(pathname);
  if (!have) return false;
  for (let i = 0; i < want.length; i += 1) {
    const part = want[i]!;
    if (part === '**' && i === want.length - 1) return true;
    const actual = have[i];
    if (actual === undefined || actual === '') return false;
    if (part !== '*' && part !== actual) return false;
  }
  return have.length === want.length;
}

export function matchPolicy(pathname: string, method: string): PolicyEntry | undefined {
  const upper = method.toUpperCase();
  return ROUTE_POLICY.find(
    (entry) => (!entry.methods || entry.methods.includes(upper as HttpMethod)) && matchesPattern(entry.pattern, pathname),
  );
}

/** What a request needs; `listed: false` means no entry matched and admins only is the default. */
export function requiredAccess(pathname: string, method: string): { access: Access; listed: boolean } {
  const entry = matchPolicy(pathname, method);
  return entry ? { access: entry.access, listed: true } : { access: 'admin', listed: false };
}

export function allows(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  return role !== undefined && roleAtLeast(role, access);
}

/** Whether a user with this role may open the page (for navigation links). */
export function canOpen(role: Role | undefined, pathname: string): boolean {
  return allows(requiredAccess(pathname, 'GET').access, role);
}
