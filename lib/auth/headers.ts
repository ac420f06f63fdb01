// Content-Security-Policy with a per-request nonce (Next adds it to its own scripts when it finds
// it in the request's CSP header) and the mutating-request Origin check.
import { randomBytes } from 'node:crypto';

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface CspOptions {
  readonly dev: boolean;
  readonly https: boolean;
  /** Other origins a form's redirect may lead to (the identity provider's sign-out). */
  readonly formTargets?: readonly string[];
}

export function contentSecurityPolicy(nonce: string, { dev, https, formTargets = [] }: CspOptions): string {
  return [
    "default-src 'self'",
    // React needs eval only in development, for its server error stacks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    // style="" attributes (progress bars and the like) cannot carry a nonce; they cannot run script.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ["form-action 'self'", ...formTargets].join(' '),
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A mutating request must come from one of our own pages: its Origin must be the origin it was
 * sent to (as the Host / X-Forwarded-Host and protocol headers say) or CONSOLE_PUBLIC_URL.
 * Browsers send "Origin: null" for a plain form post under Referrer-Policy: no-referrer; such a
 * request passes only if the browser itself marks it same-origin (Sec-Fetch-Site, which page
 * scripts cannot set). Anything else without an Origin is refused.
 */
export function originAllowed(headers: Headers, requestUrl: URL, publicUrl: string | undefined): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return origin === 'null' && headers.get('sec-fetch-site') === 'same-origin';
  const allowed = new Set<string>([requestUrl.origin]);
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || requestUrl.protocol.replace(':', '');
  for (const host of [headers.get('x-forwarded-host')?.split(',')[0]?.trim(), headers.get('host')]) {
    if (host) allowed.add(`${proto}://${host}`.toLowerCase());
  }
  return allowed.has(origin.toLowerCase());
}

export function isHttps(headers: Headers, requestUrl: URL, publicUrl: string | undefined): boolean {
  return (
    publicUrl?.startsWith('https:') === true ||
    requestUrl.protocol === 'https:' ||
    headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
  );
}
