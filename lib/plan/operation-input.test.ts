import { describe, expect, it } from 'vitest';
import { LINE_2025 } from '@/templates/line-2025';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { imageKeys, operationIssues } from './operation-input';

const paths = async (...args: Parameters<typeof operationIssues>) => (await operationIssues(...args)).map((i) => [i.path.join('.'), i.message]);

describe('the values given for a run, checked against the deployment’s line', () => {
  it('knows each line’s image parameters, and checks only those it knows', async () => {
    expect(imageKeys(LINE_2025)).toEqual([
      ['GoServicesImage', 'services'],
      ['QueryApiImage', 'services'],
      ['QueryWorkerImage', 'services'],
      ['ContainerImage', 'migration'],
    ]);
    expect(await paths(LINE_2025, { operation: { kind: 'update-images', images: { GoServicesImage: 'public.ecr.aws/x/lakerunner:v2', EdgeImage: 'x y' } } })).toEqual([]);
    expect(await paths(LINE_2025, { operation: { kind: 'update-images', images: { QueryApiImage: 'not an image;rm' } } })).toEqual([
      ['operation.images.QueryApiImage', expect.any(String)],
    ]);
    expect(await paths(FIXTURE_LINE, { operation: { kind: 'update-images', images: { EdgeImage: '' } } })).toEqual([]);
  });

  it('refuses task counts and settings of stacks or keys the line does not offer', async () => {
    expect(await paths(LINE_2025, { operation: { kind: 'update-sizes', sizes: { services: { QueryWorkerCount: '3' } } } })).toEqual([]);
    expect(await paths(LINE_2025, { operation: { kind: 'update-sizes', sizes: { core: { Workers: '1' }, services: { Typo: '1', QueryWorkerCount: 'many' } } } })).toEqual([
      ['operation.sizes.core', 'Unknown stack "core".'],
      ['operation.sizes.services.Typo', 'Unknown field "Typo".'],
      ['operation.sizes.services.QueryWorkerCount', expect.any(String)],
    ]);
    expect(await paths(FIXTURE_LINE, { operation: { kind: 'update-sizes', sizes: { core: { Workers: '1' } } } })).toEqual([]);
    expect(await paths(LINE_2025, { operation: { kind: 'update-settings', settings: { common: { AlbScheme: 'sideways' } } } })).toEqual([
      ['operation.settings.common.AlbScheme', expect.any(String)],
    ]);
    expect(await paths(LINE_2025, { operation: { kind: 'update-settings', settings: { common: { DbPassword: 'x' } } } })).toEqual([
      ['operation.settings.common.DbPassword', 'Unknown field "DbPassword".'],
    ]);
  });

  it('sets the telemetry endpoint only where the line has one', async () => {
    expect(await paths(LINE_2025, { operation: { kind: 'otlp-endpoint', endpoint: 'http://collector:4318' } })).toEqual([]);
    expect(await paths(FIXTURE_LINE, { operation: { kind: 'otlp-endpoint', endpoint: 'anything' } })).toEqual([]);
    const noEndpoint = { ...FIXTURE_LINE, operations: { ...FIXTURE_LINE.operations, otlpEndpoint: undefined } };
    expect(await paths(noEndpoint, { operation: { kind: 'otlp-endpoint', endpoint: '' } })).toEqual([['operation.kind', 'This deployment has no OTLP endpoint to set.']]);
  });

  it('checks secret values given again as the plan form does, and only the line’s secret parameters', async () => {
    expect(await paths(LINE_2025, { operation: { kind: 'deploy' }, secrets: { common: { ApiKeysOverride: 'not: [yaml' } } })).toEqual([
      ['secrets.common.ApiKeysOverride', expect.any(String)],
    ]);
    expect(await paths(LINE_2025, { operation: { kind: 'deploy' }, secrets: { common: { AlbScheme: 'internal' }, extra: { Token: 'x' } } })).toEqual([
      ['secrets.common.AlbScheme', 'Unknown field "AlbScheme".'],
      ['secrets.extra', 'Unknown stack "extra".'],
    ]);
    expect(await paths(FIXTURE_LINE, { operation: { kind: 'deploy' }, secrets: { extra: { Token: 'x' } } })).toEqual([]);
    expect(await paths(LINE_2025, { operation: { kind: 'deploy' }, secrets: { nostack: {}, vpc: {} } })).toEqual([['secrets.nostack', 'Unknown stack "nostack".']]);
  });
});
