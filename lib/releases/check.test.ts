import { describe, expect, it } from 'vitest';
import { LINES } from '@/templates';
import { CURRENT_RELEASE } from '@/templates/current/manifest';
import { formatIssues, parseManifest } from './check';
import { fixtureManifest } from './testing/fixture';

const issuesOf = (input: unknown) => {
  const parsed = parseManifest(input, LINES);
  return parsed.ok ? [] : formatIssues(parsed.issues);
};

describe('a release manifest checked for import', () => {
  it('accepts the fixture: every image of the line by digest, a template change the line has, notes', () => {
    const parsed = parseManifest(fixtureManifest(), LINES);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.line.id).toBe('current');
    expect(parsed.manifest).toMatchObject({ version: 'v1.7.6', date: '2026-09-02', templateChanges: [{ stack: 'services', parameter: 'ProcessTracesMemory', value: '4096' }] });
    expect(Object.keys(parsed.manifest.images).sort()).toEqual(['dbInit', 'dex', 'lakerunner', 'maestro', 'otel']);
  });

  it.each([
    ['a digest that is not sha256', (m: ReturnType<typeof fixtureManifest>) => (m.images.lakerunner!.digest = 'sha256:abc'), 'images.lakerunner.digest: must be a sha256 digest: "sha256:" and 64 lowercase hexadecimal digits'],
    ['a version that is not a release tag', (m: ReturnType<typeof fixtureManifest>) => (m.version = '1.7.6'), 'version: must be a release tag such as v1.7.6'],
    ['a date that is not YYYY-MM-DD', (m: ReturnType<typeof fixtureManifest>) => (m.date = 'next week'), 'date: must be a date written YYYY-MM-DD'],
    ['no notes', (m: ReturnType<typeof fixtureManifest>) => (m.notes = []), 'notes: must have at least one note'],
    ['a field the format does not have', (m: ReturnType<typeof fixtureManifest>) => (m.latest = true), 'Unrecognized key: "latest"'],
    ['a registry with a scheme', (m: ReturnType<typeof fixtureManifest>) => (m.images.otel!.registry = 'https://public.ecr.aws'), 'images.otel.registry: must be a registry host such as public.ecr.aws, without a scheme or path'],
  ])('refuses %s, naming the field', (_, change, message) => {
    const manifest = fixtureManifest();
    change(manifest);
    expect(issuesOf(manifest)).toContain(message);
  });

  it.each([
    ['an unknown line', (m: ReturnType<typeof fixtureManifest>) => (m.line = 'next'), 'line: no release line "next"; the lines are 2025, current'],
    ['the 2025 line, which has one release', (m: ReturnType<typeof fixtureManifest>) => (m.line = '2025'), 'line: the 2025 line takes no release manifests (the console knows one release of it)'],
    ['a version not newer than the built-in one', (m: ReturnType<typeof fixtureManifest>) => (m.version = 'v1.7.5'), `version: v1.7.5 is not newer than ${CURRENT_RELEASE.version}, the release the console is built with`],
    ['a missing image', (m: ReturnType<typeof fixtureManifest>) => delete m.images.otel, 'images.otel: missing: a current release has the images lakerunner, maestro, dex, dbInit, otel'],
    ['an image the line does not have', (m: ReturnType<typeof fixtureManifest>) => (m.images.grafana = { ...m.images.dex! }), 'images.grafana: not an image of the current line (lakerunner, maestro, dex, dbInit, otel)'],
    ['a stack the line does not have', (m: ReturnType<typeof fixtureManifest>) => (m.templateChanges[0]!.stack = 'grafana'), 'templateChanges.0.stack: no stack "grafana" in the current line'],
    ['a parameter the stack does not have', (m: ReturnType<typeof fixtureManifest>) => (m.templateChanges[0]!.parameter = 'Nope'), 'templateChanges.0.parameter: Lakerunner services has no parameter Nope'],
    ['a secret parameter', (m: ReturnType<typeof fixtureManifest>) => (m.templateChanges[0]!.parameter = 'DexAdminPasswordHash'), 'templateChanges.0.parameter: DexAdminPasswordHash is secret (NoEcho): a manifest cannot carry its value'],
    ['an image parameter', (m: ReturnType<typeof fixtureManifest>) => (m.templateChanges[0]!.parameter = 'LakerunnerImage'), 'templateChanges.0.parameter: LakerunnerImage takes the release\'s image: give it under images'],
    ['a value the parameter refuses', (m: ReturnType<typeof fixtureManifest>) => (m.templateChanges[0]!.value = 'lots'), 'templateChanges.0.value:'],
  ])('refuses %s for the line, naming the field', (_, change, message) => {
    const manifest = fixtureManifest();
    change(manifest);
    const issues = issuesOf(manifest);
    expect(issues.some((issue) => issue.startsWith(message))).toBe(true);
  });
});
