import { describe, expect, it } from 'vitest';
import { METAS_2025 } from '@/lib/plan/testing/line-2025';
import { byHand, exportChangeWarnings, inTheRun, type ExportChange } from './export-changes';

const scheme: ExportChange = {
  stackId: 'common',
  parameter: 'AlbScheme',
  replaced: ['LoadBalancer', 'QueryApiListener'],
  exports: ['AlbArn', 'QueryApiListenerArn'],
  importers: ['services', 'grafana'],
  recreate: ['services', 'grafana', 'demo'],
};
const plan = (include: { grafana: boolean; otel: boolean; demo: boolean }) => ({
  network: 'new' as const,
  include,
  stackNames: { vpc: 'p-vpc', common: 'p-common', migration: 'p-migration', services: 'p-services', grafana: 'p-grafana', otel: 'p-otel', demo: 'p-demo' },
});

describe('export-change warnings for a plan', () => {
  it('name the plan’s importers and the stacks to delete first, newest first, and to create again', () => {
    const [warning] = exportChangeWarnings([scheme], plan({ grafana: true, otel: true, demo: true }), METAS_2025);
    expect(warning?.what).toBe(
      'Changing AlbScheme of p-common replaces LoadBalancer and QueryApiListener and changes its exports AlbArn and QueryApiListenerArn, which p-services and p-grafana import: CloudFormation refuses that update half-way ("Cannot update export … as it is in use by …") and rolls it back',
    );
    expect(byHand(warning!)).toMatch(/\. Delete p-demo, p-grafana and p-services first \(in that order\), update the stack, then create them again\.$/);
    expect(inTheRun(warning!)).toMatch(/\. The run therefore deletes p-demo, p-grafana and p-services first and creates them again after the change; you confirm before anything changes\.$/);
  });

  it('leave out stacks the plan leaves out, and say nothing when no importer is left', () => {
    const [warning] = exportChangeWarnings([scheme], plan({ grafana: false, otel: true, demo: false }), METAS_2025);
    expect(warning?.recreate).toEqual(['p-services']);
    expect(warning?.what).toContain('which p-services imports:');
    expect(exportChangeWarnings([{ ...scheme, importers: ['grafana'], recreate: ['grafana'] }], plan({ grafana: false, otel: false, demo: false }), METAS_2025)).toEqual([]);
  });
});
