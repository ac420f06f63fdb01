// ECR's read side over JSON 1.1 (x-amz-target AmazonEC2ContainerRegistry_V20150921.*):
// DescribeRepositories, DescribeImages and ListImages over the repositories and images seeded per
// account and region (in process or over the control API), for air-gapped installs that must check
// their images exist. Another account's registry answers only for repositories shared with the
// caller (a repository policy, as seeded). Seeding lives here too.
import { createHash } from 'node:crypto';
import { AwsError } from '../core/errors';
import type { ImageState, RegionState, RepositoryState } from '../core/state';

type Body = Record<string, unknown>;

const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const IMAGE_TAG = /^[\w][\w.-]{0,299}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY_ID = /^\d{12}$/;
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export interface Registry {
  account: string;
  /** The caller's ARN, for AccessDenied messages. */
  callerArn: string;
  region: string;
  /** Reads another account's region state (for cross-account registry ids). */
  regionOf(account: string): RegionState;
}

const validation = (field: string, constraint: string, value: unknown) =>
  new AwsError('ValidationException', `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${field}' failed to satisfy constraint: ${constraint}`);
const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const repositoryNotFound = (name: string, registry: string) => new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registry}'`);

const repositoryArn = (region: string, registry: string, name: string) => `arn:aws:ecr:${region}:${registry}:repository/${name}`;

/** Which registry a call reads, and whether the caller may read `repository` there. */
function target(body: Body, reg: Registry) {
  const registryId = body.registryId ?? reg.account;
  if (typeof registryId !== 'string' || !REGISTRY_ID.test(registryId)) throw validation('registryId', "Member must satisfy regular expression pattern: '[0-9]{12}'", registryId);
  const r = registryId === reg.account ? undefined : reg.regionOf(registryId);
  const repositories = (r ?? reg.regionOf(reg.account)).repositories;
  const readable = (repo: RepositoryState) => registryId === reg.account || repo.sharedWithAccounts.includes(reg.account);
  return { registryId, repositories, readable };
}

function accessDenied(reg: Registry, action: string, registryId: string, name: string) {
  return new AwsError(
    'AccessDeniedException',
    `User: ${reg.callerArn} is not authorized to perform: ecr:${action} on resource: ${repositoryArn(reg.region, registryId, name)} because no resource-based policy allows the ecr:${action} action`,
  );
}

function repositoryShape(repo: RepositoryState, registryId: string, region: string): Body {
  return {
    repositoryArn: repositoryArn(region, registryId, repo.repositoryName),
    registryId,
    repositoryName: repo.repositoryName,
    repositoryUri: `${registryId}.dkr.ecr.${region}.amazonaws.com/${repo.repositoryName}`,
    createdAt: repo.createdAt / 1000,
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function paging(body: Body, total: number, allowed: boolean) {
  if (body.maxResults !== undefined && !allowed) throw invalid('maxResults and nextToken cannot be used with a list of names or image ids.');
  const max = body.maxResults === undefined ? 1000 : Number(body.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw validation('maxResults', 'Member must have value less than or equal to 1000', body.maxResults);
  let start = 0;
  if (typeof body.nextToken === 'string') {
    start = Number.parseInt(Buffer.from(body.nextToken, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) throw invalid('Invalid parameter at \'nextToken\' failed to satisfy constraint: \'The provided token is not valid\'');
  }
  return { start, end: start + max, next: start + max < total ? Buffer.from(String(start + max)).toString('base64url') : undefined };
}

function describeRepositories(body: Body, reg: Registry): Body {
  const { registryId, repositories, readable } = target(body, reg);
  const names = body.repositoryNames;
  if (names !== undefined) {
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) throw validation('repositoryNames', 'Member must have length greater than or equal to 1', names);
    paging(body, 0, false);
    const found = (names as string[]).map((name) => {
      const repo = repositories.find((r) => r.repositoryName === name);
      if (!repo) throw repositoryNotFound(name, registryId);
      if (!readable(repo)) throw accessDenied(reg, 'DescribeRepositories', registryId, name);
      return repositoryShape(repo, registryId, reg.region);
    });
    return { repositories: found };
  }
  const visible = repositories.filter(readable);
  const page = paging(body, visible.length, true);
  return { repositories: visible.slice(page.start, page.end).map((r) => repositoryShape(r, registryId, reg.region)), nextToken: page.next };
}

function repositoryFor(body: Body, reg: Registry, action: string) {
  const name = body.repositoryName;
  if (typeof name !== 'string' || name === '') throw validation('repositoryName', 'Member must not be null', undefined);
  const { registryId, repositories, readable } = target(body, reg);
  const repo = repositories.find((r) => r.repositoryName === name);
  if (!repo) throw repositoryNotFound(name, registryId);
  if (!readable(repo)) throw accessDenied(reg, action, registryId, name);
  return { repo, registryId };
}

function tagStatusFilter(body: Body): (image: ImageState) => boolean {
  const filter = body.filter;
  const status = typeof filter === 'object' && filter !== null ? (filter as Body).tagStatus : undefined;
  if (status === undefined || status === 'ANY') return () => true;
  if (status === 'TAGGED') return (image) => image.tags.length > 0;
  if (status === 'UNTAGGED') return (image) => image.tags.length === 0;
  throw validation('filter.tagStatus', 'Member must satisfy enum value set: [TAGGED, ANY, UNTAGGED]', status);
}

/** The images `imageIds` name, in order and without repeats; ImageNotFoundException for the first that does not exist. */
function pickImages(repo: RepositoryState, registryId: string, ids: unknown): ImageState[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw validation('imageIds', 'Member must have length less than or equal to 100', Array.isArray(ids) ? ids.length : ids);
  const picked: ImageState[] = [];
  for (const id of ids) {
    const { imageTag: tag, imageDigest: digest } = (typeof id === 'object' && id !== null ? id : {}) as Body;
    if (tag === undefined && digest === undefined) throw invalid("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Image identifier must have either an image tag or an image digest'");
    if (digest !== undefined && (typeof digest !== 'string' || !DIGEST.test(digest))) throw invalid(`Invalid parameter at 'imageDigest' failed to satisfy constraint: 'Invalid digest: ${String(digest)}'`);
    const image = repo.images.find((i) => (digest === undefined || i.digest === digest) && (tag === undefined || i.tags.includes(String(tag))));
    if (!image) {
      throw new AwsError(
        'ImageNotFoundException',
        `The image with imageId {imageDigest:'${digest === undefined ? 'null' : String(digest)}', imageTag:'${tag === undefined ? 'null' : String(tag)}'} does not exist within the repository with name '${repo.repositoryName}' in the registry with id '${registryId}'`,
      );
    }
    if (!picked.includes(image)) picked.push(image);
  }
  return picked;
}

function describeImages(body: Body, reg: Registry): Body {
  const { repo, registryId } = repositoryFor(body, reg, 'DescribeImages');
  const detail = (image: ImageState) => ({
    registryId,
    repositoryName: repo.repositoryName,
    imageDigest: image.digest,
    imageTags: image.tags.length ? image.tags : undefined,
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt / 1000,
    imageManifestMediaType: image.manifestMediaType,
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
  });
  if (body.imageIds !== undefined) {
    paging(body, 0, false);
    return { imageDetails: pickImages(repo, registryId, body.imageIds).map(detail) };
  }
  const images = repo.images.filter(tagStatusFilter(body));
  const page = paging(body, images.length, true);
  return { imageDetails: images.slice(page.start, page.end).map(detail), nextToken: page.next };
}

function listImages(body: Body, reg: Registry): Body {
  const { repo } = repositoryFor(body, reg, 'ListImages');
  const ids = repo.images.filter(tagStatusFilter(body)).flatMap((image) => (image.tags.length ? image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })) : [{ imageDigest: image.digest }]));
  const page = paging(body, ids.length, true);
  return { imageIds: ids.slice(page.start, page.end), nextToken: page.next };
}

export function handleEcr(action: string, body: Body, reg: Registry): Body {
  switch (action) {
    case 'DescribeRepositories':
      return describeRepositories(body, reg);
    case 'DescribeImages':
      return describeImages(body, reg);
    case 'ListImages':
      return listImages(body, reg);
    default:
      throw new AwsError('UnknownOperationException', `The sandbox does not serve ECR ${action}.`);
  }
}

// ---------------------------------------------------------------- seeding

export interface ImageSeed {
  tags?: string[];
  /** Default: derived from the repository and tags, so seeding the same image again is a no-op. */
  digest?: string;
  sizeInBytes?: number;
  /** ISO date or epoch milliseconds; default now. */
  pushedAt?: string | number;
  manifestMediaType?: string;
}

export interface RepositorySeed {
  repositoryName: string;
  images?: ImageSeed[];
  /** Accounts whose principals the repository's policy lets read it. */
  sharedWithAccounts?: string[];
}

export interface SeededRepository {
  repositoryArn: string;
  repositoryUri: string;
  images: { digest: string; tags: string[] }[];
}

/**
 * Creates the repository when needed and pushes the images: a tag moves to the image that now
 * carries it (the previous one may become untagged, as in ECR); an existing digest gains the tags.
 */
export function seedRepository(r: RegionState, region: string, account: string, seed: RepositorySeed): SeededRepository {
  const name = seed.repositoryName;
  if (typeof name !== 'string' || !REPOSITORY_NAME.test(name)) throw new Error('repositoryName must be 2 to 256 characters of lower-case letters, digits and ._-/ (e.g. mirror/app)');
  const images = seed.images ?? [];
  if (!Array.isArray(images)) throw new Error('images must be a list');
  const shared = seed.sharedWithAccounts ?? [];
  if (!Array.isArray(shared) || shared.some((a) => typeof a !== 'string' || !REGISTRY_ID.test(a))) throw new Error('sharedWithAccounts must be a list of 12-digit account ids');
  images.forEach((image, i) => {
    if (image.tags !== undefined && (!Array.isArray(image.tags) || image.tags.some((t) => typeof t !== 'string' || !IMAGE_TAG.test(t)))) throw new Error(`images[${i}].tags must be image tags`);
    if (image.digest !== undefined && (typeof image.digest !== 'string' || !DIGEST.test(image.digest))) throw new Error(`images[${i}].digest must be sha256:<64 hex digits>`);
    if (image.sizeInBytes !== undefined && (typeof image.sizeInBytes !== 'number' || !(image.sizeInBytes >= 0))) throw new Error(`images[${i}].sizeInBytes must be a number`);
    if (image.pushedAt !== undefined && Number.isNaN(new Date(image.pushedAt).getTime())) throw new Error(`images[${i}].pushedAt must be a date`);
  });
  let repo = r.repositories.find((x) => x.repositoryName === name);
  if (!repo) {
    repo = { repositoryName: name, createdAt: Date.now(), sharedWithAccounts: [], images: [] };
    r.repositories.push(repo);
  }
  if (seed.sharedWithAccounts !== undefined) repo.sharedWithAccounts = [...shared];
  for (const image of images) {
    const tags = image.tags ?? [];
    const digest = image.digest ?? `sha256:${createHash('sha256').update(JSON.stringify([account, region, name, tags])).digest('hex')}`;
    for (const other of repo.images) other.tags = other.tags.filter((t) => !tags.includes(t) || other.digest === digest);
    const existing = repo.images.find((i) => i.digest === digest);
    if (existing) {
      existing.tags = [...new Set([...existing.tags, ...tags])];
      if (image.sizeInBytes !== undefined) existing.sizeInBytes = image.sizeInBytes;
      if (image.pushedAt !== undefined) existing.pushedAt = new Date(image.pushedAt).getTime();
      if (image.manifestMediaType !== undefined) existing.manifestMediaType = image.manifestMediaType;
    } else {
      repo.images.push({
        digest,
        tags: [...new Set(tags)],
        sizeInBytes: image.sizeInBytes ?? 50_000_000,
        pushedAt: image.pushedAt === undefined ? Date.now() : new Date(image.pushedAt).getTime(),
        manifestMediaType: image.manifestMediaType ?? MANIFEST,
      });
    }
  }
  return {
    repositoryArn: repositoryArn(region, account, name),
    repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`,
    images: repo.images.map((i) => ({ digest: i.digest, tags: [...i.tags] })),
  };
}

export function removeRepository(r: RegionState, repositoryName: string): boolean {
  const before = r.repositories.length;
  r.repositories = r.repositories.filter((x) => x.repositoryName !== repositoryName);
  return r.repositories.length < before;
}
