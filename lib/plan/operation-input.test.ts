import { describe, expect, it } from 'vitest';
import { LINE_2025 } from '@/templates/line-2025';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { addonOperation, imageKeys, operationIssues } from './operation-input';

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

describe('an add-on operation on a current-line deployment', () => {
  const current = async () => {
    const { LINE_CURRENT } = await import('@/templates/current/line');
    const { defaultPlan } = await import('@/lib/params/plan');
    const { toLineMeta } = await import('@/templates/line');
    const plan = defaultPlan(toLineMeta(LINE_CURRENT));
    plan.include = { ...plan.include, cwmetrics: false };
    return { line: LINE_CURRENT, plan };
  };

  it.each([
    ['AWS/Usage', []],
    ['My App/metrics#1:x', []],
    ['', []],
    [':AWS/Usage', ['operation.settings.ExcludeNamespace']],
    ['AWS/Usage,AWS/Billing', ['operation.settings.ExcludeNamespace']],
    ['x'.repeat(256), ['operation.settings.ExcludeNamespace']],
    ['AWS/Usage$', ['operation.settings.ExcludeNamespace']],
  ])('checks the excluded namespace %j as a field of the add-on', async (value, fields) => {
    const { line } = await current();
    const issues = await operationIssues(line, { operation: { kind: 'add-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: value } } });
    expect(issues.map((i) => i.path.join('.'))).toEqual(fields);
    if (fields.length) expect(issues[0]!.message).toMatch(/^Excluded namespace must be one CloudWatch namespace/);
  });

  it('refuses add-ons and settings the line does not have', async () => {
    const { line } = await current();
    expect(await paths(line, { operation: { kind: 'add-addon', stack: 'grafana', settings: {} } })).toEqual([['operation.stack', 'This deployment\'s release line has no add-on "grafana".']]);
    expect(await paths(line, { operation: { kind: 'change-addon', stack: 'cwmetrics', settings: { RawBucketName: 'other' } } })).toEqual([['operation.settings.RawBucketName', 'Unknown field "RawBucketName".']]);
    expect(await paths(LINE_2025, { operation: { kind: 'remove-addon', stack: 'cwmetrics' } })).toEqual([['operation.stack', 'This deployment\'s release line has no add-on "cwmetrics".']]);
  });

  it('adds it only when the deployment has it not, and changes or removes it only when it has it (409 otherwise)', async () => {
    const { line, plan } = await current();
    expect(addonOperation(plan, line, { kind: 'add-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/Billing' } })).toEqual({ kind: 'add-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/Billing' } });
    const notThere = () => addonOperation(plan, line, { kind: 'remove-addon', stack: 'cwmetrics' });
    expect(notThere).toThrow(expect.objectContaining({ name: 'ActionError', status: 409, message: 'The CloudWatch metrics stream is not part of this deployment: add it first.' }));
    expect(() => addonOperation(plan, line, { kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/EC2' } })).toThrow(expect.objectContaining({ status: 409 }));
    plan.include.cwmetrics = true;
    expect(() => addonOperation(plan, line, { kind: 'add-addon', stack: 'cwmetrics', settings: {} })).toThrow(
      expect.objectContaining({ status: 409, message: 'The CloudWatch metrics stream is already part of this deployment: change or remove it instead.' }),
    );
    expect(addonOperation(plan, line, { kind: 'remove-addon', stack: 'cwmetrics' })).toEqual({ kind: 'remove-addon', stack: 'cwmetrics' });
  });

  it('adds it under the stack name given, refused on its field when it is no stack name or another stack of the deployment has it', async () => {
    const { line, plan } = await current();
    expect(addonOperation(plan, line, { kind: 'add-addon', stack: 'cwmetrics', settings: {}, stackName: 'team-b-cwmetrics' })).toEqual({ kind: 'add-addon', stack: 'cwmetrics', settings: {}, stackName: 'team-b-cwmetrics' });
    expect(() => addonOperation(plan, line, { kind: 'add-addon', stack: 'cwmetrics', settings: {}, stackName: '9 metrics' })).toThrow(
      expect.objectContaining({ status: 400, field: 'operation.stackName', message: 'Stack name must start with a letter and contain only letters, digits and hyphens (at most 128).' }),
    );
    expect(() => addonOperation(plan, line, { kind: 'add-addon', stack: 'cwmetrics', settings: {}, stackName: '' })).toThrow(expect.objectContaining({ field: 'operation.stackName', message: 'Stack name is required.' }));
    const services = plan.stackNames.services!;
    expect(() => addonOperation(plan, line, { kind: 'add-addon', stack: 'cwmetrics', settings: {}, stackName: services })).toThrow(
      expect.objectContaining({ status: 400, field: 'operation.stackName', message: `Stack name ${services} is already used by the ${line.stacks.find((s) => s.id === 'services')!.title} stack.` }),
    );
  });

  it('changes only what differs from the deployed value (the parameter’s default when the plan has none)', async () => {
    const { line, plan } = await current();
    plan.include.cwmetrics = true;
    expect(() => addonOperation(plan, line, { kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: 'AWS/Usage' } })).toThrow(
      expect.objectContaining({ status: 400, field: 'operation.settings.ExcludeNamespace' }),
    );
    expect(addonOperation(plan, line, { kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: '' } })).toEqual({ kind: 'change-addon', stack: 'cwmetrics', settings: { ExcludeNamespace: '' } });
  });
});
