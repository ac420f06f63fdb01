// A release manifest: what one release of a line installs (its images, pinned by digest), what it
// changes in the line's templates (parameter values), and what an operator should know before
// upgrading (its notes). This zod schema is the single source of the format: the built-in
// manifests are typed by it, `npm run releases` checks imported ones with it, and README
// documents it. Isomorphic; what a line accepts beyond the shape is checked in lib/releases.
import { z } from 'zod';
import { RELEASE_VERSION } from './release-images';

const REGISTRY_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export const releaseImageSchema = z.strictObject({
  registry: z.string().regex(REGISTRY_HOST, 'must be a registry host such as public.ecr.aws, without a scheme or path'),
  repository: z.string().regex(REPOSITORY, 'must be a repository path of lowercase components such as cardinalhq.io/lakerunner'),
  tag: z.string().regex(TAG, 'must be an image tag such as v1.81.0'),
  digest: z.string().regex(DIGEST, 'must be a sha256 digest: "sha256:" and 64 lowercase hexadecimal digits'),
});

export const templateChangeSchema = z.strictObject({
  /** The stack id within the line, e.g. services. */
  stack: z.string().min(1, 'must name a stack of the line'),
  /** The CloudFormation parameter key. */
  parameter: z.string().regex(/^[A-Za-z0-9]{1,255}$/, 'must be a CloudFormation parameter key'),
  value: z.string().max(4096, 'must be at most 4,096 characters'),
});

export const releaseManifestSchema = z.strictObject({
  /** The release line the manifest belongs to (templates/index.ts LINES). */
  line: z.string().min(1, 'must name a release line, such as current'),
  version: z.string().regex(RELEASE_VERSION, 'must be a release tag such as v1.7.6'),
  /** The release date, YYYY-MM-DD. */
  date: z.iso.date('must be a date written YYYY-MM-DD'),
  /** Every image of the release by the line's image key (lakerunner, maestro, dex, dbInit, otel). */
  images: z.record(z.string(), releaseImageSchema),
  /** Parameter values the release changes in the line's templates (new defaults an upgrade applies). */
  templateChanges: z.array(templateChangeSchema).default([]),
  /** What an operator should know before upgrading, one sentence or a few each. */
  notes: z.array(z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1,000 characters')).min(1, 'must have at least one note'),
});

export type ReleaseImage = z.output<typeof releaseImageSchema>;
export type TemplateChange = z.output<typeof templateChangeSchema>;
export type ReleaseManifest = z.output<typeof releaseManifestSchema>;
