// The images a plan's stacks pull, for air-gapped installs: each as its release publishes it (what
// to copy into the mirror, digest included) and where the stacks pull it from under the plan's
// registry prefix. Pure; the bundle lists them (images.txt and README) and the run checks them.
import type { PlanStack } from '@/lib/params/plan';

export interface MirrorImage {
  /** The reference as the release publishes it, e.g. public.ecr.aws/cardinalhq.io/lakerunner:v1.81.0@sha256:…. */
  source: string;
  /** Where the stacks pull it from: under the registry prefix, or the source itself without one. */
  pulled: string;
  /** The parameters taking it, as `<stack name>: <ParameterKey>`. */
  parameters: string[];
}

/** The stacks' images (parameters marked mirrorable), one entry per image, in the stacks' order. */
export function imagesToMirror(stacks: readonly PlanStack[], prefix: string | undefined): MirrorImage[] {
  const images = new Map<string, MirrorImage>();
  for (const stack of stacks)
    for (const spec of stack.meta.parameters) {
      if (!spec.mirrorable) continue;
      const pulled = stack.values[spec.key];
      if (!pulled) continue;
      // The launched value is under the prefix already (planStacks moved it there).
      const entry = images.get(pulled) ?? { source: sourceOf(prefix, spec.default, pulled), pulled, parameters: [] };
      entry.parameters.push(`${stack.stackName}: ${spec.key}`);
      images.set(pulled, entry);
    }
  return [...images.values()];
}

const trimmed = (prefix: string | undefined) => (prefix ?? '').trim().replace(/\/+$/, '');
const isUnder = (prefix: string | undefined, reference: string) => trimmed(prefix) !== '' && reference.startsWith(`${trimmed(prefix)}/`);

/** The published reference of an image launched under `prefix`: the default's registry host put back. */
function sourceOf(prefix: string | undefined, fallback: string | undefined, pulled: string): string {
  const home = fallback?.includes('/') ? fallback.slice(0, fallback.indexOf('/')) : undefined;
  if (!home || !isUnder(prefix, pulled)) return pulled;
  return `${home}/${pulled.slice(trimmed(prefix).length + 1)}`;
}

/** images.txt: one image per line as published, digest included (what to copy into the mirror), with where the stacks pull it from. */
export function imagesFile(images: readonly MirrorImage[], prefix: string | undefined): string {
  const lines = [
    '# Every image the stacks pull, as the release publishes it (copy each, by digest, into your mirror).',
    trimmed(prefix) ? `# The stacks pull them under ${trimmed(prefix)}/ (the plan's image registry), at the path after the registry host.` : '# The plan has no image registry prefix: the stacks pull them from where they are published.',
    ...images.map((image) => image.source),
  ];
  return `${lines.join('\n')}\n`;
}
