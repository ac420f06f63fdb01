// Where to go after signing in: only a path on this console, never another site (//evil.example,
// /\evil.example, /.//evil.example, /%2e//evil.example…) or the sign-in page itself. The value is
// normalised first (dot segments, percent-encoding, as a browser would resolve it) and the result is
// what gets checked, layer by layer of percent-decoding, so no spelling survives that a browser,
// a proxy or a later decode could turn into a scheme-relative or absolute URL.
const BASE = 'http://console.invalid';
const MAX_LENGTH = 2048;
// Control characters, whitespace (browsers strip tabs and newlines from URLs) and backslashes
// (browsers read \ as / in http URLs).
const UNSAFE = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/;
const MAX_DECODES = 4;

/** Whether a resolved path stays a single path on this site however often it is decoded and resolved again. */
function staysLocal(path: string): boolean {
  let current = path;
  for (let round = 0; round <= MAX_DECODES; round += 1) {
    if (!current.startsWith('/') || current.startsWith('//') || UNSAFE.test(current)) return false;
    let resolved: URL;
    try {
      resolved = new URL(current, BASE);
    } catch {
      return false;
    }
    if (resolved.origin !== BASE || resolved.pathname.startsWith('//')) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(resolved.pathname);
    } catch {
      return false;
    }
    if (decoded === resolved.pathname) return !isSignInPage(decoded);
    current = decoded;
  }
  // Still changing after this many decodes: nobody writes a link like that.
  return false;
}

const isSignInPage = (path: string) => /^\/signin\/?$/i.test(path);

export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return '/';
  if (!value.startsWith('/') || UNSAFE.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE || url.username || url.password || isSignInPage(url.pathname)) return '/';
  if (!staysLocal(url.pathname)) return '/';
  const result = `${url.pathname}${url.search}`;
  // The answer itself, read as a browser reads a Location header, lands on this site.
  return new URL(result, BASE).origin === BASE && !result.startsWith('//') ? result : '/';
}
