import { describe, expect, it } from 'vitest';
import { planStacks } from '@/lib/params/plan';
import { currentPlan, LINE_CURRENT_META } from '@/lib/plan/testing/line-current';
import { defaultPlan2025, METAS_2025 } from '@/lib/plan/testing/line-2025';
import { DEFAULT_IMAGES } from '@/templates/current/manifest';
import { imagesFile, imagesToMirror } from './mirror';

const PREFIX = '111111111111.dkr.ecr.us-east-1.amazonaws.com/aws-public';

describe('the images an air-gapped install mirrors', () => {
  it('lists each image once, as published with its digest, and where the stacks pull it under the prefix', () => {
    // given a current-line plan pulling through a pull-through cache
    const plan = currentPlan('mir');
    plan.imageRegistry = `${PREFIX}/`;
    // when its images are listed
    const images = imagesToMirror(planStacks(plan, LINE_CURRENT_META.stacks), plan.imageRegistry);
    // then all five, once each, published and pulled references side by side
    expect(images.map((i) => i.source)).toEqual([DEFAULT_IMAGES.otel, DEFAULT_IMAGES.lakerunner, DEFAULT_IMAGES.maestro, DEFAULT_IMAGES.dex, DEFAULT_IMAGES.dbInit]);
    expect(images[1]).toEqual({
      source: DEFAULT_IMAGES.lakerunner,
      pulled: DEFAULT_IMAGES.lakerunner.replace('public.ecr.aws', PREFIX),
      parameters: ['mir-services: LakerunnerImage'],
    });
    for (const image of images) expect(image.source).toMatch(/@sha256:[0-9a-f]{64}$/);
    const file = imagesFile(images, plan.imageRegistry);
    expect(file.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(images.map((i) => i.source));
    expect(file).toContain(`# The stacks pull them under ${PREFIX}/`);
  });

  it('keeps an image the user pointed elsewhere as given, and lists the published ones without a prefix', () => {
    const plan = currentPlan('mir');
    plan.params.services!.DexImage = 'registry.example.com/dex:v9@sha256:' + 'a'.repeat(64);
    const images = imagesToMirror(planStacks(plan, LINE_CURRENT_META.stacks), undefined);
    expect(images.find((i) => i.parameters.includes('mir-services: DexImage'))).toMatchObject({ source: plan.params.services!.DexImage, pulled: plan.params.services!.DexImage });
    expect(images.every((i) => i.source === i.pulled)).toBe(true);
  });

  it('has nothing to mirror on a line without mirrorable images', () => {
    expect(imagesToMirror(planStacks(defaultPlan2025(), METAS_2025), '')).toEqual([]);
  });
});
