// Release tags and image references of the manifest format (release-manifest.ts), without the
// validation library, for the builders and client components. Isomorphic and pure.
import type { ReleaseImage } from './release-manifest';

export { compareVersions, RELEASE_VERSION } from '@/lib/params/release-version';

/** `repository:tag@digest`: the reference without its registry host. */
export const registrySuffix = (image: ReleaseImage) => `${image.repository}:${image.tag}@${image.digest}`;

/** The full reference: `public.ecr.aws/cardinalhq.io/lakerunner:v1.81.0@sha256:…`. */
export const imageReference = (image: ReleaseImage) => `${image.registry}/${registrySuffix(image)}`;
