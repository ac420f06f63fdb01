// Where to go after signing in: only a path on this console, never another site (//evil.example,
// /\evil.example) or the sign-in page itself.
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  const url = new URL(value, 'http://console.invalid');
  if (url.origin !== 'http://console.invalid' || url.pathname === '/signin') return '/';
  return `${url.pathname}${url.search}`;
}
