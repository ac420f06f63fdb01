// The download bundle: every included stack's customized template (and its nested stacks'
// templates, under the folder the root loads them from), one AWS CLI parameters file per stack,
// deploy.sh and a README, zipped; and the quick-create key layout for S3.
import 'server-only';
import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { requiredCapabilities } from '@/lib/cfn/capabilities';
import { childFileName, childTemplateBase, withNestedTemplateFormat } from '@/lib/cfn/nested';
import { byteLength, serialize, TEMPLATE_BODY_LIMIT, type TemplateFormat } from '@/lib/cfn/serialize';
import { estimate } from '@/lib/cost/estimate';
import { costsMarkdown } from '@/lib/cost/markdown';
import { byHand, exportChangeWarnings } from '@/lib/params/export-changes';
import { layers, orderNotes } from '@/lib/params/graph';
import { planGraph, type Plan } from '@/lib/params/plan';
import { lineOf } from '@/templates';
import { toSdkParameters } from '@/lib/params/sdk';
import { usageOf } from '@/lib/params/usage';
import { parseTemplateBaseUrl } from '@/lib/params/template-url';
import { placements, targetOf, HOME } from '@/lib/params/accounts';
import { deployScript, HOME_ACCOUNT, profileVariable, slug, type ScriptAccount, type ScriptStack } from './deploy-script';
import { imagesFile, imagesToMirror, type MirrorImage } from './mirror';
import { toEstimateStack } from './estimate';
import { renderPlan, stackMetasOf, type RenderedStack } from './index';
import { exportChanges } from './replacements';

const EXECUTABLE = { os: 3, attrs: 0o100755 << 16 } as const;

/** Keys deploy.sh fills in (outputs of earlier stacks, where the nested templates are) are written as @Key@. */
function parametersFile(stack: RenderedStack, filled: readonly string[]): string {
  const values = { ...stack.values, ...Object.fromEntries(filled.map((key) => [key, `@${key}@`])) };
  return `${JSON.stringify(toSdkParameters(stack.meta.parameters, values), null, 2)}\n`;
}

interface NestedFiles {
  /** The parameter the root's TemplateURLs start with, and the folder (under templates/) its children are in. */
  parameter: string;
  folder: string;
  /** The children's files, relative to templates/. */
  files: { path: string; text: string }[];
  capabilities: string[];
}

/** A root's nested templates in the bundle's format, where it loads them from, and the capabilities they need. */
function nestedFiles(line: ReturnType<typeof lineOf>, stack: RenderedStack, root: ReturnType<typeof withNestedTemplateFormat>, format: TemplateFormat): NestedFiles | undefined {
  const definition = line.stacks.find((s) => s.id === stack.meta.id);
  const metas = definition?.children ?? [];
  const base = childTemplateBase(root, metas);
  if (!definition || !base) return undefined;
  const built = definition.buildChildren?.() ?? {};
  const templates = metas.map((meta) => {
    const template = built[meta.id];
    if (!template) throw new Error(`${definition.id} declares child ${meta.id} but builds no template for it`);
    return { path: childFileName(meta.file, format), template };
  });
  return {
    parameter: base.parameter,
    folder: base.folder,
    files: templates.map(({ path, template }) => ({ path, text: serialize(template, format) })),
    capabilities: templates.flatMap(({ template }) => requiredCapabilities(template)),
  };
}

/** Where deploy.sh uploads a root's children in the template bucket: the plan, then a digest of their texts (an upload never changes another bundle's). */
function nestedKeyPrefix(plan: Plan, stem: string, files: readonly { path: string; text: string }[]): string {
  const digest = createHash('sha256');
  for (const file of files) digest.update(`${file.path}\0${file.text}\0`);
  return `lakerunner/${slug(plan.name)}/${stem}-${digest.digest('hex').slice(0, 16)}/`;
}

/** Which stacks could be created at the same time: deploy.sh goes one at a time, a person need not. */
function sideBySideLines(plan: Plan): string[] {
  const groups = layers(planGraph(plan, stackMetasOf(plan))).filter((row) => row.length > 1);
  if (groups.length === 0) return [];
  return [
    'Each stack needs the stacks before it that it depends on. These could run side by side once those are complete:',
    '',
    ...groups.map((row) => `- ${row.map((id) => plan.stackNames[id] ?? id).join(' and ')}`),
    '',
  ];
}

function nestedLines(stacks: readonly RenderedStack[], format: TemplateFormat, mirrored: boolean): string[] {
  const roots = stacks.filter((s) => s.meta.children?.length);
  if (roots.length === 0) return [];
  return [
    ...roots.map(
      (s) =>
        `${s.stackName} creates ${s.meta.children!.length} nested stacks from ${s.meta.children!.map((c) => `templates/${childFileName(c.file, mirrored ? 'yaml' : format)}`).join(', ')}.`,
    ),
    '',
    ...(mirrored
      ? ['CloudFormation reads nested templates from S3 only: deploy.sh passes the root the folder of the plan\'s', 'nested templates mirror (see below), where the root loads them as YAML, as upstream publishes them.']
      : [
          'CloudFormation reads nested templates from S3 only: deploy.sh uploads them to the bucket named by',
          'LAKERUNNER_TEMPLATE_BUCKET (in the same region), or creates lakerunner-templates-<account>-<region>,',
          'private and encrypted, and passes their folder to the root, as `aws cloudformation package` users expect.',
        ]),
    '',
  ];
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The README's section for installs without internet access: the images to mirror, and where the nested templates come from. */
function airGappedLines(plan: Plan, stacks: readonly RenderedStack[], images: readonly MirrorImage[]): string[] {
  const mirror = plan.childTemplatesUrl?.trim();
  const roots = stacks.filter((s) => s.meta.children?.length);
  if (images.length === 0 && (!mirror || roots.length === 0)) return [];
  const prefix = plan.imageRegistry?.trim().replace(/\/+$/, '');
  return [
    '## Images and templates to mirror (air-gapped installs)',
    '',
    ...(images.length > 0
      ? [
          `images.txt lists the ${images.length} images the stacks pull, as the release publishes them, each pinned by digest: copy`,
          'each into your registry by digest (an ECR pull-through cache does it on the first pull).',
          prefix ? `The stacks pull them under ${prefix}/:` : 'The plan has no image registry prefix: the stacks pull them from where they are published:',
          '',
          ...images.map((image) => `- ${image.source}${image.pulled !== image.source ? `\n  pulled as ${image.pulled}` : ''}\n  (${image.parameters.join(', ')})`),
          '',
        ]
      : []),
    ...(mirror && roots.length > 0
      ? [
          `deploy.sh reads the nested stacks' templates from the plan's mirror, ${withSlash(mirror)}, and uploads nothing: copy`,
          ...roots.map((s) => `the files under templates/${childTemplateFolder(s)} there first, keeping their paths (${withSlash(mirror)}${childTemplateFolder(s)}…), for ${s.stackName}.`),
          '',
        ]
      : []),
  ];
}

/** The folder (under templates/) a root's children are in, e.g. cardinal-lakerunner/. */
const childTemplateFolder = (stack: RenderedStack) => {
  const file = stack.meta.children?.[0]?.file ?? '';
  return file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
};

/** The accounts the plan puts stacks in, the deployment's first, for deploy.sh (one entry when all are in one account). */
function scriptAccounts(plan: Plan, stacks: readonly RenderedStack[]): ScriptAccount[] {
  const metas = stacks.map((s) => s.meta);
  return placements(plan, metas).map(({ placement, stacks: ids }) => {
    const target = placement === HOME ? undefined : plan.accounts?.[placement];
    const stackNames = ids.map((id) => stacks.find((s) => s.meta.id === id)!.stackName);
    return target ? { key: target.accountId, region: target.region, roleArn: target.roleArn, stackNames } : { key: HOME_ACCOUNT, region: plan.region, stackNames };
  });
}

/** The README's section for a plan across accounts: which profile each account's stacks run with, and an example profile (no ExternalId: it is a secret). */
function accountsLines(accounts: readonly ScriptAccount[]): string[] {
  if (accounts.length < 2) return [];
  const others = accounts.filter((a) => a.key !== HOME_ACCOUNT);
  return [
    '## Stacks in other AWS accounts',
    '',
    'The plan puts stacks in more than one account; deploy.sh creates each with its account\'s credentials:',
    '',
    ...accounts.map((a) => (a.key === HOME_ACCOUNT ? `- the deployment's account (${a.region}): ${a.stackNames.join(', ')}` : `- account ${a.key} (${a.region}): ${a.stackNames.join(', ')}`)),
    '',
    `Name an AWS CLI profile for each other account: \`./deploy.sh ${others.map((a) => `--profile ${a.key}=NAME`).join(' ')}\`, or set`,
    `${others.map((a) => profileVariable(a.key)).join(', ')}. The deployment's own stacks use the credentials the AWS CLI finds`,
    `(AWS_PROFILE, environment variables), or \`--profile home=NAME\` (${profileVariable(HOME_ACCOUNT)}). A profile that assumes the plan's`,
    'deploy role in the other account, in ~/.aws/config:',
    '',
    ...others.flatMap((a) => [
      `    [profile lakerunner-${a.key}]`,
      ...(a.roleArn ? [`    role_arn = ${a.roleArn}`] : []),
      '    external_id = <the External ID its trust asks for, if any>',
      '    source_profile = default',
      '',
    ]),
    'Before creating anything deploy.sh asks STS (`aws sts get-caller-identity`) which account each',
    "account's credentials are in, and stops, naming the account and its stacks, when they are another",
    "account's. Outputs one stack feeds another are read in the account of the stack that has them.",
    '',
  ];
}

function readme(plan: Plan, stacks: readonly RenderedStack[], format: TemplateFormat, images: readonly MirrorImage[], accounts: readonly ScriptAccount[]): string {
  const secrets = stacks.flatMap((s) => s.meta.parameters.filter((p) => p.noEcho && (s.values[p.key] ?? '') !== '').map((p) => `${s.stackName}: ${p.key}`));
  return [
    `# Lakerunner deployment plan: ${plan.name}`,
    '',
    `Region: ${plan.region}. Stacks, in the order deploy.sh creates them:`,
    '',
    ...stacks.map((s, i) => `${i + 1}. ${s.stackName} (templates/${s.meta.stem}.${format}, parameters/${s.meta.stem}.json)`),
    '',
    ...nestedLines(stacks, format, Boolean(plan.childTemplatesUrl?.trim())),
    ...sideBySideLines(plan),
    ...airGappedLines(plan, stacks, images),
    ...accountsLines(accounts),
    accounts.length > 1
      ? "Run `./deploy.sh` with AWS credentials for the deployment's account and a profile for each other one. It waits for each stack and"
      : 'Run `./deploy.sh` with AWS credentials for the target account. It waits for each stack and',
    'stops at the first failure; run it again after fixing the cause, existing stacks are skipped.',
    '',
    'The templates carry your values as parameter defaults; the parameters files hold the same',
    'values in the AWS CLI format (`--parameters file://parameters/<stack>.json`).',
    '',
    'COSTS.md estimates what the stacks cost a month, resource by resource, with its assumptions.',
    ...(Object.values(stacks).some((s) => Object.keys(s.pending).length > 0)
      ? ['', 'Values written as @Key@ in a parameters file are outputs of an earlier stack; deploy.sh fills them in.']
      : []),
    ...(secrets.length > 0 ? ['', `The parameters files contain secret (NoEcho) values: ${secrets.join(', ')}. Keep this bundle private.`] : []),
    '',
  ].join('\n');
}

export function buildBundle(plan: Plan, format: TemplateFormat, generatedAt = new Date().toISOString()): { fileName: string; bytes: Uint8Array } {
  const stacks = renderPlan(plan);
  const root = slug(plan.name);
  const files: Zippable = {};
  const scriptStacks: ScriptStack[] = [];
  const line = lineOf(plan);
  const metas = stackMetasOf(plan);
  const nameOf = (id: string) => plan.stackNames[id] ?? id;
  const notes = orderNotes(planGraph(plan, metas));
  const warnings = exportChangeWarnings(exportChanges(line.stacks), plan, metas);
  // With a nested templates mirror the roots load the children from it as published (YAML).
  const mirror = plan.childTemplatesUrl?.trim() || undefined;
  const childFormat: TemplateFormat = mirror ? 'yaml' : format;
  const accountOf = (id: string) => targetOf(plan, metas.find((m) => m.id === id))?.accountId;
  for (const stack of stacks) {
    const account = accountOf(stack.meta.id);
    const pendingAccounts = Object.fromEntries(Object.entries(stack.pending).flatMap(([key, p]) => (accountOf(p.stack) ? [[key, accountOf(p.stack)!]] : [])));
    const note = notes[stack.meta.id];
    const template = withNestedTemplateFormat(stack.template, childFormat);
    const nested = nestedFiles(line, stack, template, childFormat);
    const text = serialize(template, format);
    const templateFile = `templates/${stack.meta.stem}.${format}`;
    const parametersPath = `parameters/${stack.meta.stem}.json`;
    files[`${root}/${templateFile}`] = strToU8(text);
    for (const child of nested?.files ?? []) files[`${root}/templates/${child.path}`] = strToU8(child.text);
    files[`${root}/${parametersPath}`] = strToU8(parametersFile(stack, [...Object.keys(stack.pending), ...(nested ? [nested.parameter] : [])]));
    const templateBytes = byteLength(text);
    scriptStacks.push({
      stackName: stack.stackName,
      templateFile,
      parametersFile: parametersPath,
      capabilities: [...new Set([...stack.capabilities, ...(nested?.capabilities ?? [])])],
      ...(nested
        ? {
            nested: {
              parameter: nested.parameter,
              keyPrefix: nestedKeyPrefix(plan, stack.meta.stem, nested.files),
              folder: nested.folder,
              files: nested.files.map((f) => `templates/${f.path}`),
              ...(mirror ? { mirror: `${withSlash(mirror)}${nested.folder}` } : {}),
            },
          }
        : {}),
      viaS3: templateBytes > TEMPLATE_BODY_LIMIT,
      templateBytes,
      pending: Object.fromEntries(Object.entries(stack.pending).map(([k, p]) => [k, { ...p, stackName: nameOf(p.stack) }])),
      ...(account ? { account } : {}),
      ...(Object.keys(pendingAccounts).length > 0 ? { pendingAccounts } : {}),
      after: (note?.after ?? []).map(nameOf),
      alongside: (note?.alongside ?? []).map(nameOf),
      exportChecks: warnings
        .filter((w) => w.stackId === stack.meta.id && stack.values[w.parameter] !== undefined)
        .map((w) => ({ key: w.parameter, planned: stack.values[w.parameter]!, warning: byHand(w) })),
    });
  }
  const accounts = scriptAccounts(plan, stacks);
  files[`${root}/deploy.sh`] = [strToU8(deployScript(plan.name, plan.region, scriptStacks, generatedAt, accounts)), EXECUTABLE];
  const images = imagesToMirror(stacks, plan.imageRegistry);
  if (images.length > 0) files[`${root}/images.txt`] = strToU8(imagesFile(images, plan.imageRegistry));
  files[`${root}/README.md`] = strToU8(readme(plan, stacks, format, images, accounts));
  files[`${root}/COSTS.md`] = strToU8(costsMarkdown(plan.name, estimate({ stacks: stacks.map(toEstimateStack), region: plan.region, usage: usageOf(plan), rules: line.priceRules })));
  return { fileName: `${root}-${format}.zip`, bytes: zipSync(files, { level: 6, mtime: generatedAt }) };
}

/** The templates laid out under the S3 keys the quick-create links point to. */
export function buildQuickCreateFiles(plan: Plan): { fileName: string; bytes: Uint8Array; keys: string[] } | undefined {
  const location = parseTemplateBaseUrl(plan.templateBaseUrl);
  if (!location) return undefined;
  const files: Zippable = {};
  for (const stack of renderPlan(plan)) files[`${location.prefix}${stack.meta.stem}.yaml`] = strToU8(serialize(stack.template, 'yaml'));
  return { fileName: `${location.bucket}-templates.zip`, bytes: zipSync(files, { level: 6 }), keys: Object.keys(files) };
}
