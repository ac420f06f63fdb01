import { describe, expect, it } from 'vitest';
import { accessPointsOf } from './overview';

const common = { BucketName: 'ingest', QueryApiUrl: 'https://lr.example.com:7101', GrafanaUrl: 'https://lr.example.com:3000' };

describe('access points', () => {
  it("take the URLs from the common stack's outputs once the stacks behind them are deployed", () => {
    expect(accessPointsOf({ common, services: { ExecutionRoleArn: 'arn:role' }, grafana: { GrafanaAdminSecretArn: 'arn:secret' } })).toEqual({
      grafana: { url: 'https://lr.example.com:3000', user: 'lakerunner', secretArn: 'arn:secret' },
      queryApiUrl: 'https://lr.example.com:7101',
      bucket: { name: 'ingest', prefixes: ['otel-raw/', 'logs-raw/', 'metrics-raw/'] },
    });
  });

  it('show no query API or Grafana before those stacks exist', () => {
    expect(accessPointsOf({ common, services: {}, grafana: {} })).toEqual({ bucket: { name: 'ingest', prefixes: ['otel-raw/', 'logs-raw/', 'metrics-raw/'] } });
  });

  it('keep the URLs of stacks created from older templates, which carried their own', () => {
    const points = accessPointsOf({
      common: { BucketName: 'ingest' },
      services: { QueryApiUrl: 'http://alb:7101' },
      grafana: { GrafanaUrl: 'http://alb:3000', GrafanaAdminSecretArn: 'arn:secret' },
    });
    expect([points.queryApiUrl, points.grafana?.url]).toEqual(['http://alb:7101', 'http://alb:3000']);
  });
});
