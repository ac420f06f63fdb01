// The differences document says what differs from upstream; these checks tie each fix it claims
// to the templates, and keep the document naming only files the line publishes.
import { describe, expect, it } from 'vitest';
import { CHANGES, differencesMarkdown, FIXES, KEPT } from './differences';
import { lineGraph, teardownGraph } from './testing/graph';
import { FILES, childOf, propsOf, templateOf } from './testing/rendered';

describe('the differences from upstream', () => {
  it('lists the four fixes the fact sheet calls for', () => {
    expect(FIXES.map((f) => f.id)).toEqual(['control-to-query', 'query-worker-storage', 'partition', 'cwmetrics-teardown']);
  });

  it('names only files the line publishes', () => {
    const published = new Set(FILES.map((f) => f.path.replace(/\.yaml$/, '')));
    for (const d of [...FIXES, ...CHANGES, ...KEPT]) for (const file of d.files) if (file !== 'all') expect(published.has(file), `${d.id}: ${file}`).toBe(true);
  });

  it('has each fix in the templates', () => {
    expect(propsOf(templateOf('infra-base'), 'QueryFromControl')).toMatchObject({
      GroupId: { 'Fn::GetAtt': ['QuerySecurityGroup', 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': ['ControlSecurityGroup', 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
    });
    expect(propsOf(childOf('services-query'), 'QueryWorkerTaskDef').EphemeralStorage).toEqual({ SizeInGiB: 100 });
    for (const file of FILES) expect(JSON.stringify(file.template.Resources), file.path).not.toContain('arn:aws:');
    const teardown = teardownGraph(lineGraph());
    expect(teardown.deps['satellite-infra-base']).toContain('cwmetrics');
  });

  it('renders a README section with every entry', () => {
    const text = differencesMarkdown();
    expect(text.startsWith('## Differences from upstream (cardinalhq/lakerunner-cloudformation v1.7.5)')).toBe(true);
    for (const heading of ['### Fixed', '### Changed', '### Kept as upstream']) expect(text).toContain(heading);
    for (const d of [...FIXES, ...CHANGES, ...KEPT]) expect(text).toContain(d.ours);
  });
});
