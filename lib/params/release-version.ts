// Release tags of a line (v<major>.<minor>.<patch>, as upstream tags releases, no pre-releases)
// and their order. Isomorphic and pure; the manifest format is templates/release-manifest.ts.

export const RELEASE_VERSION = /^v(\d{1,4})\.(\d{1,4})\.(\d{1,4})$/;

/** Orders release tags: negative when a is older than b. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (RELEASE_VERSION.exec(v) ?? []).slice(1).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
