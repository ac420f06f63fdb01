// The request gate proxy.ts runs for every request: security headers with a fresh CSP nonce, the
// Origin check on mutations, then the ROUTE_POLICY decision for the caller's identity.
import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/lib/env';
import { isStoreUnavailable } from '@/lib/store/errors';
import { MUTATING_METHODS, contentSecurityPolicy, createNonce, isHttps, originAllowed } from './headers';
import { identify, trustedProxyConfig } from './identify';
import { BAD_ORIGIN, FORBIDDEN, PASSWORD_CHANGE_REQUIRED, SIGN_IN_REQUIRED } from './messages';
import { providerFormOrigins } from './oidc/provider';
import { oidcSettings } from './oidc/settings';
import { allows, matchesPattern, requiredAccess } from './policy';
import { SESSION_COOKIE } from './sessions';
import { proxyIdentity } from './trusted-proxy';


const unlisted = new Set<string>();

function isPageRequest(request: NextRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && !request.nextUrl.pathname.startsWith('/api/');
}

function withSecurityHeaders(response: Response, csp: string): Response {
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, message: string, nonce: string, csp: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Lakerunner Launch Console</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a}a{color:#0e7490}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the console</a> · <a href="/account">Your account</a></p></main></body></html>`;
  return withSecurityHeaders(
    new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } }),
    csp,
  );
}

function refuse(request: NextRequest, status: number, title: string, message: string, nonce: string, csp: string): Response {
  if (isPageRequest(request)) return page(status, title, message, nonce, csp);
  return withSecurityHeaders(Response.json({ error: message }, { status, headers: { 'Cache-Control': 'no-store' } }), csp);
}

function signInRedirect(request: NextRequest, csp: string): Response {
  const target = new URL('/signin', request.nextUrl);
  const back = new URL(request.nextUrl);
  back.searchParams.delete('_rsc');
  if (back.pathname !== '/') target.searchParams.set('next', `${back.pathname}${back.search}`);
  return withSecurityHeaders(NextResponse.redirect(target, 303), csp);
}

export async function guard(request: NextRequest): Promise<Response> {
  const { pathname } = request.nextUrl;
  const method = request.method.toUpperCase();
  const config = env();
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, {
    dev: config.NODE_ENV === 'development',
    https: isHttps(request.headers, request.nextUrl, config.CONSOLE_PUBLIC_URL),
    // Chrome applies form-action to a form's redirects too: signing out redirects to the provider.
    formTargets: providerFormOrigins(oidcSettings()),
  });

  if (MUTATING_METHODS.has(method) && !originAllowed(request.headers, request.nextUrl, config.CONSOLE_PUBLIC_URL)) {
    return refuse(request, 403, 'Request refused', BAD_ORIGIN, nonce, csp);
  }

  const { access, listed } = requiredAccess(pathname, method);
  if (access !== 'public') {
    let identity;
    try {
      identity = await identify(request.headers, request.cookies.get(SESSION_COOKIE)?.value);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      console.error(error.message);
      return refuse(request, 503, 'The console cannot reach its data store', error.message, nonce, csp);
    }
    if (!identity) {
      return isPageRequest(request) ? signInRedirect(request, csp) : refuse(request, 401, 'Sign in', SIGN_IN_REQUIRED, nonce, csp);
    }
    if (!listed && !unlisted.has(`${method} ${pathname}`) && unlisted.size < 1000) {
      unlisted.add(`${method} ${pathname}`);
      console.warn(`No ROUTE_POLICY entry matches ${method} ${pathname}; only admins may use it.`);
    }
    if (identity.user.mustChangePassword && !matchesPattern('/account/**', pathname)) {
      if (isPageRequest(request)) return withSecurityHeaders(NextResponse.redirect(new URL('/account', request.nextUrl), 303), csp);
      return refuse(request, 403, 'Password change required', PASSWORD_CHANGE_REQUIRED, nonce, csp);
    }
    if (!allows(access, identity.user.role)) {
      return refuse(request, 403, 'Not allowed', FORBIDDEN, nonce, csp);
    }
  }

  const forwarded = new Headers(request.headers);
  // An SSO header that was not trusted here must not reach the pages either (nor the requests
  // Next makes on their behalf, which copy the headers and come from this very host).
  const ssoHeader = trustedProxyConfig().header;
  if (ssoHeader && forwarded.has(ssoHeader) && proxyIdentity(request.headers, trustedProxyConfig()).kind !== 'email') {
    forwarded.delete(ssoHeader);
  }
  forwarded.set('x-nonce', nonce);
  forwarded.set('content-security-policy', csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers: forwarded } }), csp);
}
