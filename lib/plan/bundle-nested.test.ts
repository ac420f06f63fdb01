// The bundle of a plan whose stacks have nested stacks (the current line): the children's templates
// under the folder the root loads them from, in the bundle's format; the root's parameters file
// leaves the folder's URL to deploy.sh; deploy.sh uploads them and makes its bucket when none is named.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { currentPlan } from '@/lib/plan/testing/line-current';
import { CURRENT_STACKS } from '@/templates/current';
import { buildBundle } from './bundle';

vi.mock('@/templates', async () => {
  const { registryOf } = await import('@/templates/testing/registry');
  const { LINE_2025 } = await import('@/templates/line-2025');
  const { CURRENT_TEST_LINE } = await import('@/templates/current/testing/line');
  return registryOf([LINE_2025, CURRENT_TEST_LINE]);
});

const CHILDREN = CURRENT_STACKS.find((s) => s.id === 'services')!.children!;

describe.each(['yaml', 'json'] as const)('a %s bundle of a current-line plan', (format) => {
  const files = unzipSync(buildBundle(currentPlan('nb'), format, '2026-12-01T00:00:00.000Z').bytes);
  const text = (path: string) => strFromU8(files[`nb/${path}`] ?? new Uint8Array());

  it("carries the services root's seven nested templates under templates/cardinal-lakerunner/, and the root loads those files", () => {
    const children = Object.keys(files).filter((p) => p.startsWith('nb/templates/cardinal-lakerunner/')).sort();
    expect(children).toEqual(CHILDREN.map((c) => `nb/templates/${c.file}.${format}`).sort());
    for (const child of CHILDREN) expect(text(`templates/${child.file}.${format}`).length).toBeGreaterThan(100);
    const root = text(`templates/cardinal-lakerunner-services.${format}`);
    for (const child of CHILDREN) expect(root).toContain(`\${TemplateBaseUrl}${child.file.split('/')[1]}.${format}`);
    expect(root).not.toContain(format === 'json' ? '.yaml' : '.json"');
  });

  it('leaves TemplateBaseUrl and the outputs of earlier stacks to deploy.sh in the parameters file', () => {
    const parameters = JSON.parse(text('parameters/cardinal-lakerunner-services.json')) as { ParameterKey: string; ParameterValue: string }[];
    const value = (key: string) => parameters.find((p) => p.ParameterKey === key)?.ParameterValue;
    expect(value('TemplateBaseUrl')).toBe('@TemplateBaseUrl@');
    expect(value('VpcId')).toBe('@VpcId@');
    expect(value('QueueUrl')).toBe('@QueueUrl@');
    expect(value('OrganizationId')).toBe('7b3d2c9e-4f1a-4e8b-9c6d-2a5f8e1b3c7d');
  });

  it('has a deploy.sh that uploads the children before the root, to a private and encrypted bucket it makes when none is named', () => {
    const script = text('deploy.sh');
    expect(script).toContain('TEMPLATE_BUCKET=${LAKERUNNER_TEMPLATE_BUCKET:-}');
    expect(script).toContain('TEMPLATE_BUCKET="lakerunner-templates-$ACCOUNT-$REGION"');
    expect(script).toContain('BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true');
    expect(script).toContain('"SSEAlgorithm":"AES256"');
    const uploads = script.split('\n').filter((l) => l.startsWith('aws s3 cp templates/cardinal-lakerunner/'));
    expect(uploads).toHaveLength(CHILDREN.length);
    for (const upload of uploads) expect(upload).toMatch(new RegExp(`^aws s3 cp templates/(cardinal-lakerunner/[a-z-]+\\.${format}) "s3://\\$TEMPLATE_BUCKET/lakerunner/nb/cardinal-lakerunner-services-[0-9a-f]{16}/\\1" --region "\\$REGION" >/dev/null$`));
    const createRoot = script.indexOf("create_stack 'nb-services'");
    expect(script.lastIndexOf('aws s3 cp templates/cardinal-lakerunner/', createRoot)).toBeGreaterThan(script.indexOf("create_stack 'nb-satellite-services'"));
    expect(script).toMatch(/TEMPLATE_BASE_URL="https:\/\/\$TEMPLATE_BUCKET\.s3\.\$REGION\.amazonaws\.com\/lakerunner\/nb\/cardinal-lakerunner-services-[0-9a-f]{16}\/cardinal-lakerunner\/"/);
    expect(script).toContain('-e "s|\\"@TemplateBaseUrl@\\"|\\"$TEMPLATE_BASE_URL\\"|g"');
    expect(text('README.md')).toContain('nb-services creates 7 nested stacks from templates/cardinal-lakerunner/cert.');
  });
});
