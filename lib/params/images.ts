// A plan's image registry prefix (upstream's IMAGE_REGISTRY): the release's images pulled from a
// private mirror such as an ECR pull-through cache, path and digest kept, so the same bytes run.
// Isomorphic and pure; the release's manifest lives with its line (templates/current/manifest.ts).
import type { ParamSpec } from './spec';

/** `<prefix>/<reference without its registry host>`: trailing slashes ignored, an empty prefix keeps the reference. */
export function withRegistryPrefix(prefix: string, reference: string): string {
  const registry = prefix.trim().replace(/\/+$/, '');
  const slash = reference.indexOf('/');
  return registry === '' || slash < 0 ? reference : `${registry}/${reference.slice(slash + 1)}`;
}

const hostOf = (reference: string | undefined) => (reference && reference.includes('/') ? reference.slice(0, reference.indexOf('/')) : undefined);

/**
 * The value a mirrorable image parameter is launched with: moved under `prefix` while it is on the
 * registry of the spec's default (an image the user pointed elsewhere stays as given).
 */
export function withImageRegistry(prefix: string | undefined, spec: Pick<ParamSpec, 'mirrorable' | 'default'>, value: string): string {
  const home = hostOf(spec.default);
  if (!spec.mirrorable || !prefix?.trim() || !home || hostOf(value) !== home) return value;
  return withRegistryPrefix(prefix, value);
}

/** Whether a line's stacks have images a registry prefix applies to (the plan then offers the setting). */
export const hasMirrorableImages = (metas: readonly { parameters: readonly Pick<ParamSpec, 'mirrorable'>[] }[]) =>
  metas.some((m) => m.parameters.some((p) => p.mirrorable));

/** A registry host (a DNS name or IP, optional port) and an optional path of lowercase repository components. */
const REGISTRY_PREFIX = /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*\/?$/;

export const REGISTRY_PREFIX_MESSAGE =
  'Image registry must be a registry host with an optional path and no scheme, such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public; leave it empty to pull from where the release publishes.';

/** Why a registry prefix is not acceptable, or undefined. */
export function checkRegistryPrefix(prefix: string): string | undefined {
  const value = prefix.trim();
  if (value === '') return undefined;
  return REGISTRY_PREFIX.test(value) ? undefined : REGISTRY_PREFIX_MESSAGE;
}
