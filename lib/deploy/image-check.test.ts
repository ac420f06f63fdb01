import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planStacks } from '@/lib/params/plan';
import { currentPlan, LINE_CURRENT_META } from '@/lib/plan/testing/line-current';
import { controlApi, sandboxFixture, type Fixture } from '@/lib/sandbox/testing';
import { CURRENT_RELEASE } from '@/templates/current/manifest';
import { checkImages, parseImageReference, type DescribeImages } from './image-check';

const TOKEN = 'image-check-token';
const ACCOUNT = '111111111111';
const PREFIX = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/aws-public`;
let f: Fixture;
let describeImages: DescribeImages;

beforeAll(async () => {
  f = await sandboxFixture({ controlToken: TOKEN });
  describeImages = (_region, input) => f.ecr.send(new DescribeImagesCommand(input));
  // the mirror holds every image of the release but the collector; dex's repository has another digest only
  const control = controlApi(f.sandbox, TOKEN);
  for (const [key, image] of Object.entries(CURRENT_RELEASE.images)) {
    if (key === 'otel') continue;
    const digest = key === 'dex' ? `sha256:${'d'.repeat(64)}` : image.digest;
    const seeded = await control('POST', 'ecr/repositories', { accountId: ACCOUNT, repositoryName: `aws-public/${image.repository}`, images: [{ tags: [image.tag], digest }] });
    expect(seeded.status).toBe(200);
  }
});
afterAll(() => f.sandbox.close());

const stacksWith = (prefix: string, change?: (plan: ReturnType<typeof currentPlan>) => void) => {
  const plan = currentPlan('img');
  plan.imageRegistry = prefix;
  change?.(plan);
  return planStacks(plan, LINE_CURRENT_META.stacks);
};

describe('checking a run’s images before it starts', () => {
  it('parses image references with a tag, a digest or both', () => {
    expect(parseImageReference('a.example.com:5000/x/y:v1@sha256:abc')).toEqual({ host: 'a.example.com:5000', repository: 'x/y', tag: 'v1', digest: 'sha256:abc' });
    expect(parseImageReference('reg/x')).toEqual({ host: 'reg', repository: 'x', tag: undefined, digest: undefined });
    expect(parseImageReference('nohost')).toBeUndefined();
  });

  it('refuses a run whose image has no repository in the account’s ECR registry, naming the image and what to copy', async () => {
    const check = await checkImages(describeImages, ACCOUNT, stacksWith(PREFIX), PREFIX);
    const otel = CURRENT_RELEASE.images.otel;
    expect(check.refusal).toBe(
      `The image ${PREFIX}/${otel.repository}:${otel.tag}@${otel.digest} (img-satellite-services: OtelImage) is not in this account's ECR registry: there is no repository aws-public/${otel.repository} in us-east-1. Copy public.ecr.aws/${otel.repository}:${otel.tag}@${otel.digest} there first (the bundle's images.txt lists every image to mirror), or change the plan's image registry.`,
    );
  });

  it('refuses an image whose repository lacks its digest', async () => {
    // given the collector pulled from another registry, so the check reaches dex
    const stacks = stacksWith(PREFIX, (plan) => (plan.params['satellite-services']!.OtelImage = 'mirror.example.com/otel:v1'));
    const check = await checkImages(describeImages, ACCOUNT, stacks, PREFIX);
    expect(check.refusal).toContain(`repository aws-public/cardinalhq.io/dex-customization has no image ${CURRENT_RELEASE.images.dex.digest} in us-east-1`);
  });

  it('finds the images that are there, and says plainly which it could not check', async () => {
    const stacks = stacksWith(PREFIX, (plan) => {
      plan.params['satellite-services']!.OtelImage = 'mirror.example.com/otel:v1';
      plan.params.services!.DexImage = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/aws-public/cardinalhq.io/dex-customization:v0.5.0@sha256:${'d'.repeat(64)}`;
    });
    const check = await checkImages(describeImages, ACCOUNT, stacks, PREFIX);
    expect(check).toEqual({
      notes: [
        "Found every image in this account's ECR registry (4), by digest.",
        "Not checked: 1 image outside this account's ECR registry (mirror.example.com); the console can only look into the account's own ECR. Make sure the tasks can pull them.",
      ],
    });
  });

  it('does not look into another registry or another account’s ECR, and says so', async () => {
    for (const prefix of ['registry.example.com/cardinal', '222222222222.dkr.ecr.us-east-1.amazonaws.com/aws-public']) {
      const check = await checkImages(describeImages, ACCOUNT, stacksWith(prefix), prefix);
      expect(check.refusal).toBeUndefined();
      expect(check.notes).toEqual([expect.stringMatching(/^Not checked: 5 images outside this account's ECR registry \((registry\.example\.com|222222222222\.dkr\.ecr\.us-east-1\.amazonaws\.com)\)/)]);
    }
    // without a prefix the images come from where they are published: nothing to check or say
    expect(await checkImages(describeImages, ACCOUNT, stacksWith(''), '')).toEqual({ notes: [] });
  });

  it('says it could not check when the credentials may not read the registry', async () => {
    const denied: DescribeImages = () => Promise.reject(Object.assign(new Error('User is not authorized to perform: ecr:DescribeImages'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const check = await checkImages(denied, ACCOUNT, stacksWith(PREFIX), PREFIX);
    expect(check.refusal).toBeUndefined();
    expect(check.notes[0]).toMatch(/^Could not check the images in this account's ECR registry \(no permission for ecr:DescribeImages\)/);
  });
});
