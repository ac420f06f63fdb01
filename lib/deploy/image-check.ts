// Before a run: are the images its stacks will pull there? Checked where the console can — images
// in the target account's own ECR registry, by DescribeImages — and said plainly where it cannot
// (another registry or account, or no permission), so an air-gapped install does not learn of a
// missing mirror from ECS tasks that never start. Server-only.
import 'server-only';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import type { AwsContext } from '@/lib/aws/clients';
import { AccessDeniedError, AwsError, awsCall, describeAwsFailure, NotFoundError } from '@/lib/aws/errors';
import type { PlanStack } from '@/lib/params/plan';
import { imagesToMirror } from '@/lib/plan/mirror';

/** A private ECR registry host: <account>.dkr.ecr.<region>.amazonaws.com (.cn in China). */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export interface ImageReference {
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `host/repo/path:tag@sha256:…` (tag and digest optional). */
export function parseImageReference(reference: string): ImageReference | undefined {
  const slash = reference.indexOf('/');
  if (slash < 0) return undefined;
  const host = reference.slice(0, slash);
  let rest = reference.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) [rest, digest] = [rest.slice(0, at), rest.slice(at + 1)];
  const colon = rest.lastIndexOf(':');
  const [repository, tag] = colon >= 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, undefined];
  return repository ? { host, repository, tag, digest } : undefined;
}

export interface ImageCheck {
  /** Why the run is refused: an image missing from the account's registry, named with where it was looked for. */
  refusal?: string;
  /** What was checked and what could not be, in words, for the run's notes. */
  notes: string[];
}

export type DescribeImages = (region: string, input: { registryId: string; repositoryName: string; imageIds: { imageDigest?: string; imageTag?: string }[] }) => Promise<unknown>;

/** DescribeImages through the run's clients (credentials, retries, timeouts), in the registry's own region. */
export function describeImagesWith(context: AwsContext): DescribeImages {
  return (region, input) => context.ecr(region).send(new DescribeImagesCommand(input));
}

/**
 * Checks the images the scoped stacks pull (their mirrorable parameters, as launched under the
 * plan's registry `prefix`). An image in
 * `account`'s ECR that is not there refuses the run; images elsewhere are noted as not checked.
 */
export async function checkImages(describe: DescribeImages, account: string, stacks: readonly PlanStack[], prefix: string | undefined): Promise<ImageCheck> {
  const images = imagesToMirror(stacks, prefix);
  if (images.length === 0) return { notes: [] };
  const notes: string[] = [];
  const found: string[] = [];
  const elsewhere: string[] = [];
  for (const image of images) {
    const ref = parseImageReference(image.pulled);
    const ecr = ref && ECR_HOST.exec(ref.host);
    if (!ref || !ecr || ecr[1] !== account) {
      elsewhere.push(image.pulled);
      continue;
    }
    const imageId = ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' };
    try {
      await awsCall('DescribeImages', () => describe(ecr[2]!, { registryId: account, repositoryName: ref.repository, imageIds: [imageId] }));
      found.push(image.pulled);
    } catch (error) {
      const failure = error instanceof AwsError ? error : undefined;
      if (failure instanceof NotFoundError)
        return {
          refusal: `The image ${image.pulled} (${image.parameters.join(', ')}) is not in this account's ECR registry: ${failure.code === 'RepositoryNotFoundException' ? `there is no repository ${ref.repository}` : `repository ${ref.repository} has no image ${ref.digest ?? ref.tag}`} in ${ecr[2]}. Copy ${image.source} there first (the bundle's images.txt lists every image to mirror), or change the plan's image registry.`,
          notes,
        };
      if (failure instanceof AccessDeniedError) notes.push(`Could not check the images in this account's ECR registry (no permission for ecr:DescribeImages): make sure ${image.pulled} and the others are there.`);
      else notes.push(`Could not check ${image.pulled} in this account's ECR registry (${failure ? describeAwsFailure(failure) : String(error)}).`);
      return { notes: [...(found.length ? [`Found in this account's ECR registry: ${found.length} image${found.length === 1 ? '' : 's'}.`] : []), ...notes] };
    }
  }
  if (found.length) notes.push(`Found every image in this account's ECR registry (${found.length}), by digest.`);
  // Without a prefix the images come from where the release publishes them: nothing to say.
  if (elsewhere.length && prefix?.trim())
    notes.push(
      `Not checked: ${elsewhere.length} image${elsewhere.length === 1 ? '' : 's'} outside this account's ECR registry (${[...new Set(elsewhere.map((r) => r.slice(0, r.indexOf('/'))))].join(', ')}); the console can only look into the account's own ECR. Make sure the tasks can pull them.`,
    );
  return { notes };
}
