import { describe, expect, it } from 'vitest';
import { planAfter, scopeOf } from '@/lib/deploy/scope';
import { currentPlan } from '@/lib/plan/testing/line-current';
import { LINES } from '@/templates';
import { LINE_CURRENT } from '@/templates/current/line';
import { DEFAULT_IMAGES } from '@/templates/current/manifest';
import { parseManifest } from './check';
import { fixtureManifest } from './testing/fixture';
import { upgradeChanges, upgradeOperation } from './upgrade';

const fixture = () => {
  const parsed = parseManifest(fixtureManifest(), LINES);
  if (!parsed.ok) throw new Error('the fixture manifest does not parse');
  return parsed.manifest;
};
const LAKERUNNER = 'public.ecr.aws/cardinalhq.io/lakerunner:v1.81.1@sha256:9af70e7c78df982749b21617aaf5ad71c1bc4f386a526e6cecfd620218e6b2a3';
const OTEL = 'public.ecr.aws/cardinalhq.io/cardinalhq-otel-collector:v1.10.1@sha256:dabed45ae35454d1fc9a663be10a3a545d2303f9f9b12593a5b3afb9db966c8e';

describe('an upgrade to a newer release of the line', () => {
  it('sets every image where the line puts it and the template changes, with the release notes', () => {
    const operation = upgradeOperation(LINE_CURRENT, fixture());
    expect(operation.version).toBe('v1.7.6');
    expect(operation.parameters.services).toMatchObject({ LakerunnerImage: LAKERUNNER, DexImage: DEFAULT_IMAGES.dex, ProcessTracesMemory: '4096' });
    expect(operation.parameters['satellite-services']).toEqual({ OtelImage: OTEL });
    expect(operation.notes).toHaveLength(3);
  });

  it('changes only what differs from what the deployment runs, in the stacks it has', () => {
    const plan = currentPlan('up');
    const changes = upgradeChanges(plan, LINE_CURRENT, upgradeOperation(LINE_CURRENT, fixture()));
    expect(changes.map((c) => `${c.stackId}.${c.parameter}`)).toEqual(['satellite-services.OtelImage', 'services.LakerunnerImage', 'services.MaestroImage', 'services.ProcessTracesMemory']);
    expect(changes.find((c) => c.parameter === 'LakerunnerImage')).toMatchObject({ from: DEFAULT_IMAGES.lakerunner, to: LAKERUNNER });
    expect(changes.find((c) => c.parameter === 'ProcessTracesMemory')).toMatchObject({ from: '2048', to: '4096' });
  });

  it('runs on the services root and the collector only, its images under the plan registry prefix, and records the release', () => {
    // given a deployment that pulls its images through an ECR pull-through cache
    const plan = currentPlan('up');
    plan.imageRegistry = '111111111111.dkr.ecr.us-east-1.amazonaws.com/aws-public';
    const operation = upgradeOperation(LINE_CURRENT, fixture());
    // when the run is scoped
    const scope = scopeOf(plan, LINE_CURRENT, operation);
    // then only the two stacks with images or template changes update, the images moved under the prefix
    expect(scope.map((s) => s.stack.meta.id)).toEqual(['satellite-services', 'services']);
    const services = scope.find((s) => s.stack.meta.id === 'services')!.overrides!;
    expect(services.LakerunnerImage).toBe(LAKERUNNER.replace('public.ecr.aws', '111111111111.dkr.ecr.us-east-1.amazonaws.com/aws-public'));
    expect(services.ProcessTracesMemory).toBe('4096');
    // and once it succeeded, the plan runs v1.7.6 with the images as published (the prefix applies at launch)
    const after = planAfter(plan, LINE_CURRENT, operation);
    expect(after.releaseVersion).toBe('v1.7.6');
    expect(after.params.services?.LakerunnerImage).toBe(LAKERUNNER);
    expect(after.params['satellite-services']?.OtelImage).toBe(OTEL);
    expect(plan.releaseVersion).toBeUndefined();
  });
});
