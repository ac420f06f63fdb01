// The current line's release manifest (upstream v1.7.5): versions and images pinned by digest,
// and the rule that moves every image under a private registry prefix (upstream's IMAGE_REGISTRY).
// Plain data and pure functions; the builders take their image defaults from here. Its format is
// the generic manifest's (templates/release-manifest.ts), which newer releases are imported in.
import { imageReference, registrySuffix } from '../release-images';
import type { ReleaseImage, ReleaseManifest } from '../release-manifest';

/** An image of the release (the manifest format's, templates/release-manifest.ts). */
export type ImageRef = ReleaseImage;

export type ImageKey = 'lakerunner' | 'maestro' | 'dex' | 'dbInit' | 'otel';

/** The line's image keys, in the order the images are listed (bundles, upgrade previews). */
export const IMAGE_KEYS: readonly ImageKey[] = ['lakerunner', 'maestro', 'dex', 'dbInit', 'otel'];

/** A manifest of the current line: every image key present. */
export type CurrentManifest = ReleaseManifest & { readonly images: Readonly<Record<ImageKey, ImageRef>> };

const PUBLIC_ECR = 'public.ecr.aws';

/** The release the line's templates are built for (fact sheet §10.2 and §10.5). */
export const CURRENT_RELEASE: CurrentManifest = {
  line: 'current',
  version: 'v1.7.5',
  date: '2026-08-19',
  templateChanges: [],
  notes: [
    'lakerunner v1.81.0: DuckDB and direct parquet reading are removed; the lkrn-native query engine is the only query path, with LogQL structured-log filters and alerting fixes.',
    'maestro v1.94.1.',
    'No parameter changes. The new Lakerunner image reruns the migrator before the services update.',
  ],
  images: {
    lakerunner: {
      registry: PUBLIC_ECR,
      repository: 'cardinalhq.io/lakerunner',
      tag: 'v1.81.0',
      digest: 'sha256:ec07934e1fcd7e900bb308a9713660742d377e4da047ea7e95affb12f6707018',
    },
    maestro: {
      registry: PUBLIC_ECR,
      repository: 'cardinalhq.io/maestro',
      tag: 'v1.94.1',
      digest: 'sha256:f28b1de681f26e23d174fa65b3a55152cd5c067db1215f89bf0ce9fbd2278edc',
    },
    dex: {
      registry: PUBLIC_ECR,
      repository: 'cardinalhq.io/dex-customization',
      tag: 'v0.5.0',
      digest: 'sha256:3fd7766b7a089948bfbe504ea4b23671b2257e2fed0247ac638c9902aca4aebd',
    },
    dbInit: {
      registry: PUBLIC_ECR,
      repository: 'docker/library/postgres',
      tag: '18-alpine',
      digest: 'sha256:96d56f7f57c6aacd1fcb908bc83b345ec5f83231ee486dd66a1baadce274db88',
    },
    otel: {
      registry: PUBLIC_ECR,
      repository: 'cardinalhq.io/cardinalhq-otel-collector',
      tag: 'v1.10.0',
      digest: 'sha256:ad9d6459d2d231a4ea0b709347587e4c3dc43eb82e169e915305d9ddae73540c',
    },
  },
};

/** The registry upstream's drivers compose images under when IMAGE_REGISTRY is not set. */
export const DEFAULT_IMAGE_REGISTRY = PUBLIC_ECR;

export { imageReference, registrySuffix };

/**
 * Upstream's IMAGE_REGISTRY rule: `<prefix>/<registry-relative suffix>`, digest kept, so an ECR
 * pull-through cache (`<account>.dkr.ecr.<region>.amazonaws.com/aws-public`) serves the same
 * bytes. Trailing slashes on the prefix are ignored; an empty prefix means the default registry.
 */
export function withRegistry(prefix: string, image: ImageRef): string {
  const registry = prefix.trim().replace(/\/+$/, '') || DEFAULT_IMAGE_REGISTRY;
  return `${registry}/${registrySuffix(image)}`;
}

/** Every image of a manifest composed under one registry prefix, keyed like the manifest. */
export function composeImages(prefix: string, manifest: CurrentManifest = CURRENT_RELEASE): Record<ImageKey, string> {
  return Object.fromEntries(
    (Object.entries(manifest.images) as [ImageKey, ImageRef][]).map(([key, image]) => [key, withRegistry(prefix, image)]),
  ) as Record<ImageKey, string>;
}

/** The image parameters of the current line's stacks, by the manifest image they take. */
export const IMAGE_PARAMETERS: Readonly<Record<string, ImageKey>> = {
  LakerunnerImage: 'lakerunner',
  MaestroImage: 'maestro',
  DexImage: 'dex',
  DbInitImage: 'dbInit',
  OtelImage: 'otel',
};

/** Parameter values that put every image parameter of the line under `prefix` (for upgrades and mirrors). */
export function imageParameterValues(prefix: string, manifest: CurrentManifest = CURRENT_RELEASE): Record<string, string> {
  const images = composeImages(prefix, manifest);
  return Object.fromEntries(Object.entries(IMAGE_PARAMETERS).map(([key, image]) => [key, images[image]]));
}

/** The default of every image parameter: the manifest's images on their own registry. */
export const DEFAULT_IMAGES: Readonly<Record<ImageKey, string>> = composeImages(DEFAULT_IMAGE_REGISTRY);
