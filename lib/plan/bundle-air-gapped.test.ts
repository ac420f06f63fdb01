// The bundle of an air-gapped plan: images.txt lists every image to mirror with its digest (and
// the README says where the stacks pull them), and deploy.sh reads the nested templates from the
// plan's mirror instead of uploading them to a bucket it makes.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { currentPlan } from '@/lib/plan/testing/line-current';
import { CURRENT_STACKS } from '@/templates/current';
import { DEFAULT_IMAGES } from '@/templates/current/manifest';
import { buildBundle } from './bundle';

vi.mock('@/templates', async () => {
  const { registryOf } = await import('@/templates/testing/registry');
  const { LINE_2025 } = await import('@/templates/line-2025');
  const { CURRENT_TEST_LINE } = await import('@/templates/current/testing/line');
  return registryOf([LINE_2025, CURRENT_TEST_LINE]);
});

const PREFIX = '111111111111.dkr.ecr.us-east-1.amazonaws.com/aws-public';
const MIRROR = 'https://mirror-bucket.s3.us-east-1.amazonaws.com/lakerunner/v1.7.5/';
const CHILDREN = CURRENT_STACKS.find((s) => s.id === 'services')!.children!;

function bundle(format: 'yaml' | 'json', change: (plan: ReturnType<typeof currentPlan>) => void) {
  const plan = currentPlan('ag');
  change(plan);
  const files = unzipSync(buildBundle(plan, format, '2026-12-01T00:00:00.000Z').bytes);
  return { files, text: (path: string) => strFromU8(files[`ag/${path}`] ?? new Uint8Array()) };
}

describe.each(['yaml', 'json'] as const)('a %s bundle for an air-gapped install', (format) => {
  const { files, text } = bundle(format, (plan) => {
    plan.imageRegistry = PREFIX;
    plan.childTemplatesUrl = MIRROR;
  });

  it('lists every image to mirror as published, with its digest, and the README says where the stacks pull each', () => {
    const listed = text('images.txt').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(listed.sort()).toEqual(Object.values(DEFAULT_IMAGES).sort());
    const readme = text('README.md');
    expect(readme).toContain('## Images and templates to mirror (air-gapped installs)');
    expect(readme).toContain(`The stacks pull them under ${PREFIX}/:`);
    expect(readme).toContain(`- ${DEFAULT_IMAGES.lakerunner}\n  pulled as ${DEFAULT_IMAGES.lakerunner.replace('public.ecr.aws', PREFIX)}\n  (ag-services: LakerunnerImage)`);
    expect(readme).toContain(`copy\nthe files under templates/cardinal-lakerunner/ there first, keeping their paths (${MIRROR}cardinal-lakerunner/…), for ag-services.`);
  });

  it('has a deploy.sh that passes the mirror to the root, uploads nothing and makes no bucket, and children as published (YAML)', () => {
    const script = text('deploy.sh');
    expect(script).toContain(`TEMPLATE_BASE_URL='${MIRROR}cardinal-lakerunner/'`);
    expect(script).not.toContain('aws s3 cp');
    expect(script).not.toContain('TEMPLATE_BUCKET="lakerunner-templates-$ACCOUNT-$REGION"');
    expect(script).toContain('-e "s|\\"@TemplateBaseUrl@\\"|\\"$TEMPLATE_BASE_URL\\"|g"');
    const root = text(`templates/cardinal-lakerunner-services.${format}`);
    for (const child of CHILDREN) {
      expect(root).toContain(`\${TemplateBaseUrl}${child.file.split('/')[1]}.yaml`);
      expect(files[`ag/templates/${child.file}.yaml`]).toBeDefined();
    }
  });
});

describe('a bundle without a registry prefix or a mirror', () => {
  it('still lists the images to copy, pulled from where they are published, and uploads the nested templates itself', () => {
    const { text } = bundle('yaml', () => undefined);
    expect(text('images.txt')).toContain('# The plan has no image registry prefix');
    expect(text('README.md')).toContain('The plan has no image registry prefix: the stacks pull them from where they are published:');
    expect(text('deploy.sh')).toContain('TEMPLATE_BUCKET="lakerunner-templates-$ACCOUNT-$REGION"');
  });
});
