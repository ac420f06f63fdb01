import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoAccountSandbox, type Clients, type ControlApi, type Fixture } from './testing';

const TOKEN = 'ecr-test-token';
const A = '111111111111';
const B = '222222222222';
const DIGEST_1 = `sha256:${'1'.repeat(64)}`;
const DIGEST_2 = `sha256:${'2'.repeat(64)}`;

let f: Fixture;
let b: Clients;
let control: ControlApi;
beforeAll(async () => {
  ({ f, b, control } = await twoAccountSandbox(TOKEN));
  // the images an air-gapped install mirrored into B under the prefix `mirror/`
  const seeded = await control('POST', 'ecr/repositories', {
    accountId: B,
    repositoryName: 'mirror/app',
    images: [
      { tags: ['v1.0.0'], digest: DIGEST_1, sizeInBytes: 1234, pushedAt: '2026-08-01T00:00:00Z' },
      { tags: ['v1.1.0', 'latest'], digest: DIGEST_2 },
    ],
  });
  expect(seeded).toEqual({
    status: 200,
    body: {
      repositoryArn: `arn:aws:ecr:us-east-1:${B}:repository/mirror/app`,
      repositoryUri: `${B}.dkr.ecr.us-east-1.amazonaws.com/mirror/app`,
      images: [
        { digest: DIGEST_1, tags: ['v1.0.0'] },
        { digest: DIGEST_2, tags: ['v1.1.0', 'latest'] },
      ],
    },
  });
});
afterAll(() => f.sandbox.close());

describe('ECR DescribeRepositories, DescribeImages and ListImages (JSON 1.1) for air-gapped checks', () => {
  it('finds seeded images by tag and by digest, in the account they were seeded in', async () => {
    const { imageDetails } = await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageTag: 'v1.0.0' }, { imageDigest: DIGEST_2 }, { imageTag: 'latest' }] }));
    expect(imageDetails).toEqual([
      expect.objectContaining({ registryId: B, repositoryName: 'mirror/app', imageDigest: DIGEST_1, imageTags: ['v1.0.0'], imageSizeInBytes: 1234, imagePushedAt: new Date('2026-08-01T00:00:00Z') }),
      expect.objectContaining({ imageDigest: DIGEST_2, imageTags: ['v1.1.0', 'latest'], imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json' }),
    ]);
    // a tag and digest that belong together; the tag of one image with the other's digest does not exist
    expect((await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageTag: 'v1.1.0', imageDigest: DIGEST_2 }] }))).imageDetails).toHaveLength(1);
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageTag: 'v1.0.0', imageDigest: DIGEST_2 }] }))).rejects.toMatchObject({
      name: 'ImageNotFoundException',
    });

    const { repositories } = await b.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['mirror/app'] }));
    expect(repositories).toEqual([
      expect.objectContaining({
        registryId: B,
        repositoryName: 'mirror/app',
        repositoryArn: `arn:aws:ecr:us-east-1:${B}:repository/mirror/app`,
        repositoryUri: `${B}.dkr.ecr.us-east-1.amazonaws.com/mirror/app`,
        imageTagMutability: 'MUTABLE',
      }),
    ]);
    expect((await b.ecr.send(new ListImagesCommand({ repositoryName: 'mirror/app' }))).imageIds).toEqual([
      { imageDigest: DIGEST_1, imageTag: 'v1.0.0' },
      { imageDigest: DIGEST_2, imageTag: 'v1.1.0' },
      { imageDigest: DIGEST_2, imageTag: 'latest' },
    ]);
    // account A has no such repository, nor does B in another region
    await expect(f.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageTag: 'v1.0.0' }] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'mirror/app' does not exist in the registry with id '${A}'`,
    });
    await expect(new ECRClient({ ...b.config, region: 'eu-west-1' }).send(new DescribeRepositoriesCommand({ repositoryNames: ['mirror/app'] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
  });

  it('unknown repositories and images fail with the exceptions and messages ECR sends', async () => {
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/missing', imageIds: [{ imageTag: 'v1.0.0' }] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'mirror/missing' does not exist in the registry with id '${B}'`,
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(b.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['mirror/app', 'mirror/missing'] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageTag: 'v1.0.0' }, { imageTag: 'v9.9.9' }] }))).rejects.toMatchObject({
      name: 'ImageNotFoundException',
      message: `The image with imageId {imageDigest:'null', imageTag:'v9.9.9'} does not exist within the repository with name 'mirror/app' in the registry with id '${B}'`,
      $metadata: { httpStatusCode: 400 },
    });
    const unknownDigest = `sha256:${'3'.repeat(64)}`;
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageDigest: unknownDigest }] }))).rejects.toMatchObject({
      name: 'ImageNotFoundException',
      message: `The image with imageId {imageDigest:'${unknownDigest}', imageTag:'null'} does not exist within the repository with name 'mirror/app' in the registry with id '${B}'`,
    });
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', imageIds: [{ imageDigest: 'sha256:short' }] }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/app', registryId: 'nope' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('another account’s registry: readable only where its repository policy shares it', async () => {
    const asA = { repositoryName: 'mirror/app', registryId: B, imageIds: [{ imageTag: 'v1.0.0' }] };
    await expect(f.ecr.send(new DescribeImagesCommand(asA))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${A}:user/sandbox is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:us-east-1:${B}:repository/mirror/app because no resource-based policy allows the ecr:DescribeImages action`,
    });
    f.sandbox.seed.repository({ accountId: B, repositoryName: 'mirror/app', sharedWithAccounts: [A] });
    expect((await f.ecr.send(new DescribeImagesCommand(asA))).imageDetails).toEqual([expect.objectContaining({ registryId: B, imageDigest: DIGEST_1 })]);
    expect((await f.ecr.send(new DescribeRepositoriesCommand({ registryId: B }))).repositories!.map((r) => r.repositoryName)).toEqual(['mirror/app']);
    f.sandbox.seed.repository({ accountId: B, repositoryName: 'mirror/app', sharedWithAccounts: [] });
  });

  it('pushing again moves a tag to the new image (the old one may become untagged) and filters by tag status', async () => {
    f.sandbox.seed.repository({ accountId: B, repositoryName: 'mirror/moving', images: [{ tags: ['stable'] }] });
    const first = (await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving', imageIds: [{ imageTag: 'stable' }] }))).imageDetails![0]!.imageDigest!;
    expect(first).toMatch(/^sha256:[a-f0-9]{64}$/);
    // seeding the same tags again is the same image
    f.sandbox.seed.repository({ accountId: B, repositoryName: 'mirror/moving', images: [{ tags: ['stable'] }] });
    expect((await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving' }))).imageDetails).toHaveLength(1);

    const next = `sha256:${'4'.repeat(64)}`;
    f.sandbox.seed.repository({ accountId: B, repositoryName: 'mirror/moving', images: [{ tags: ['stable', 'v2'], digest: next }] });
    expect((await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving', imageIds: [{ imageTag: 'stable' }] }))).imageDetails![0]!.imageDigest).toBe(next);
    const untagged = (await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving', filter: { tagStatus: 'UNTAGGED' } }))).imageDetails!;
    expect(untagged.map((i) => [i.imageDigest, i.imageTags])).toEqual([[first, undefined]]);
    expect((await b.ecr.send(new ListImagesCommand({ repositoryName: 'mirror/moving', filter: { tagStatus: 'TAGGED' } }))).imageIds).toEqual([
      { imageDigest: next, imageTag: 'stable' },
      { imageDigest: next, imageTag: 'v2' },
    ]);
    // pages
    const page = await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving', maxResults: 1 }));
    expect(page.imageDetails).toHaveLength(1);
    const rest = await b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving', maxResults: 1, nextToken: page.nextToken }));
    expect(rest.imageDetails![0]!.imageDigest).not.toBe(page.imageDetails![0]!.imageDigest);
    expect(rest.nextToken).toBeUndefined();

    expect(await control('DELETE', 'ecr/repositories', { accountId: B, repositoryName: 'mirror/moving' })).toEqual({ status: 204, body: undefined });
    await expect(b.ecr.send(new DescribeImagesCommand({ repositoryName: 'mirror/moving' }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    expect(await control('DELETE', 'ecr/repositories', { accountId: B, repositoryName: 'mirror/moving' })).toEqual({ status: 404, body: { error: 'No such repository' } });
  });

  it('the control API refuses repositories and images it cannot model', async () => {
    const cases: [unknown, string][] = [
      [{ repositoryName: 'Upper/Case' }, 'repositoryName must be 2 to 256 characters of lower-case letters, digits and ._-/ (e.g. mirror/app)'],
      [{ repositoryName: 'ok', images: [{ digest: 'md5:abc' }] }, 'images[0].digest must be sha256:<64 hex digits>'],
      [{ repositoryName: 'ok', images: [{ tags: ['has space'] }] }, 'images[0].tags must be image tags'],
      [{ repositoryName: 'ok', images: [{ pushedAt: 'yesterday' }] }, 'images[0].pushedAt must be a date'],
      [{ repositoryName: 'ok', sharedWithAccounts: ['A'] }, 'sharedWithAccounts must be a list of 12-digit account ids'],
    ];
    for (const [body, error] of cases) expect(await control('POST', 'ecr/repositories', body)).toEqual({ status: 400, body: { error } });
    await expect(f.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['ok'] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });
});
