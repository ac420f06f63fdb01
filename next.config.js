// @ts-check

// Headers for every response, static assets included. The Content-Security-Policy
// carries a per-request nonce, so it is set in proxy.ts instead.
const staticSecurityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** @type {import('next').NextConfig} */
module.exports = {
  output: 'standalone',
  // A separate build directory lets parallel builds run without clobbering each other.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // openid-client: one module instance per process, so the provider configuration it discovered
  // (kept on globalThis) passes its instanceof checks in every bundle (proxy, routes, instrumentation).
  serverExternalPackages: ['better-sqlite3', 'openid-client', 'pg'],
  poweredByHeader: false,
  // `npm test` type-checks the whole project first; parallel local builds may skip it.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === '1' },
  // Turbopack keeps a cache of the build for the next one. CI builds a fresh clone once, so
  // writing it there is time spent for nothing (about 10–30 s on two cores).
  experimental: { turbopackFileSystemCacheForBuild: !process.env.CI },
  async headers() {
    return [{ source: '/:path*', headers: staticSecurityHeaders }];
  },
};
