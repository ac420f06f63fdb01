import { describe, expect, it } from 'vitest';
import { STACKS_2025 as STACKS } from '@/templates/line-2025';
import { toMeta } from '@/templates/stack';
import { sizeOf, sizeParams, sizeValue } from './sizes';

const params = sizeParams(STACKS.map(toMeta));

describe('the size choice', () => {
  it('covers the task count of every Lakerunner service and of the collector', () => {
    expect(params.map((p) => `${p.stackId}.${p.key}`)).toEqual([
      ...['PubsubSqs', 'IngestLogs', 'IngestMetrics', 'CompactLogs', 'CompactMetrics', 'RollupMetrics', 'Sweeper', 'QueryApi', 'QueryWorker'].map((id) => `services.${id}Count`),
      'otel.CollectorCount',
    ]);
  });

  it('tells which size the values are, or none when they are custom', () => {
    const values = new Map(params.map((p) => [p.key, sizeValue(p, 'production')]));
    expect(sizeOf(params, (p) => values.get(p.key))).toBe('production');
    for (const p of params) values.set(p.key, sizeValue(p, 'proof-of-concept'));
    expect(sizeOf(params, (p) => values.get(p.key))).toBe('proof-of-concept');
    values.set('QueryWorkerCount', '3');
    expect(sizeOf(params, (p) => values.get(p.key))).toBeUndefined();
  });
});
