import { describe, expect, it } from 'vitest';
import { LINE_2025 } from './line-2025';

const common = { BucketName: 'ingest', QueryApiUrl: 'https://lr.example.com:7101', GrafanaUrl: 'https://lr.example.com:3000' };
const bucket = { kind: 'bucket', label: 'Upload data to', bucket: 'ingest', prefixes: ['otel-raw/', 'logs-raw/', 'metrics-raw/'] };

describe('the 2025 line’s access points', () => {
  it("take the URLs from the common stack's outputs once the stacks behind them are deployed", () => {
    expect(LINE_2025.accessPoints({ common, services: { ExecutionRoleArn: 'arn:role' }, grafana: { GrafanaAdminSecretArn: 'arn:secret' } })).toEqual([
      { kind: 'login', label: 'Grafana', url: 'https://lr.example.com:3000', user: 'lakerunner', secretArn: 'arn:secret' },
      { kind: 'code', label: 'Query API', value: 'https://lr.example.com:7101' },
      bucket,
    ]);
  });

  it('show no query API or Grafana before those stacks exist', () => {
    expect(LINE_2025.accessPoints({ common, services: {}, grafana: {} })).toEqual([bucket]);
  });

  it('keep the URLs of stacks created from older templates, which carried their own, and show the collector', () => {
    const points = LINE_2025.accessPoints({
      common: { BucketName: 'ingest' },
      services: { QueryApiUrl: 'http://alb:7101' },
      grafana: { GrafanaUrl: 'http://alb:3000', GrafanaAdminSecretArn: 'arn:secret' },
      otel: { HttpEndpoint: 'http://collector:4318' },
    });
    expect(points.map((p) => (p.kind === 'login' || p.kind === 'link' ? p.url : p.kind === 'code' ? p.value : p.bucket))).toEqual([
      'http://alb:3000',
      'http://alb:7101',
      'ingest',
      'http://collector:4318',
    ]);
  });
});

describe('the 2025 line’s discovery names', () => {
  const { stackNames, suggestName } = LINE_2025.discovery;
  const found = (id: string, name: string) => ({ id, name, upstream: false, parameters: {}, outputs: {} });

  it('names missing stacks after the common stack’s prefix, never as a stack that exists', () => {
    const chosen = new Map([['common', found('common', 'acme-common')]]);
    const names = stackNames({ key: 'acme-common', members: [...chosen.values()] }, chosen, new Set(['acme-services']));
    expect(names).toEqual({
      vpc: 'acme-vpc',
      common: 'acme-common',
      migration: 'acme-migration',
      services: 'acme-services-2',
      grafana: 'acme-grafana-service',
      otel: 'acme-otel-collector',
      demo: 'acme-demo-apps',
    });
  });

  it('suggests a deployment name without the common or VPC suffix', () => {
    expect(suggestName('acme-common')).toBe('acme');
    expect(suggestName('vpc:acme-vpc')).toBe('acme');
    expect(suggestName('-')).toBe('lakerunner');
  });
});
