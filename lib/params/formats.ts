// Console-side value formats that CloudFormation's constraint language cannot express.
// Synchronous checks run everywhere; YAML checks load the parser lazily so it stays out of
// the plan page's first-load bundle.
// zod/mini: this module reaches the browser, and the mini API tree-shakes to a fraction of zod's size.
import * as z from 'zod/mini';
import type { ParamFormat } from './spec';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const STACK_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9-]*$';
export const STACK_NAME_MAX = 128;

/**
 * An OCI image reference: optional registry host[:port], lowercase path components, then an
 * optional :tag and/or @sha256 digest (the grammar of distribution/reference).
 */
export const IMAGE_PATTERN =
  '^((([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(:[0-9]+)?/)?' +
  '[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*)' +
  '(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$';

/** IPv4 CIDR with a /16 to /22 prefix: four /24 subnets are carved from it. */
export const VPC_CIDR_PATTERN =
  '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(1[6-9]|2[0-2])$';

function cidrIsAligned(value: string): boolean {
  const [address, prefixText] = value.split('/');
  const octets = (address ?? '').split('.').map(Number);
  const prefix = Number(prefixText);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !(prefix >= 0 && prefix <= 32)) return false;
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - prefix;
  return ip % 2 ** hostBits === 0;
}

/** Returns an error message, or undefined when the value is acceptable. Empty values pass. */
export function checkFormatSync(format: ParamFormat, value: string, label: string): string | undefined {
  if (value === '') return undefined;
  switch (format) {
    case 'cidr':
      return cidrIsAligned(value) ? undefined : `${label} must be a network address: ${value} has host bits set.`;
    case 'image':
      return new RegExp(IMAGE_PATTERN).test(value)
        ? undefined
        : `${label} must be an image reference such as public.ecr.aws/cardinalhq.io/lakerunner:v1.2.1.`;
    case 'uuid':
      return new RegExp(UUID_PATTERN).test(value) ? undefined : `${label} must be a UUID such as 12340000-0000-4000-8000-000000000000.`;
    case 'stack-name':
      return new RegExp(STACK_NAME_PATTERN).test(value) && value.length <= STACK_NAME_MAX
        ? undefined
        : `${label} must start with a letter and contain only letters, digits and hyphens (at most ${STACK_NAME_MAX}).`;
    case 'whole-number':
      return /^\d+$/.test(value) ? undefined : `${label} must be a whole number such as 2.`;
    case 'http-url':
      return isHttpUrl(value) ? undefined : `${label} must be an http:// or https:// URL such as http://collector.example.com:4318.`;
    default:
      return undefined;
  }
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]+(:\d{1,5})?(\/[^\s]*)?$/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const uuid = z.string().check(z.regex(new RegExp(UUID_PATTERN), 'must be a UUID'));
const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'must not be empty'));

export const apiKeysShape = z
  .array(
    z.strictObject({
      organization_id: uuid,
      keys: z.array(nonEmpty).check(z.minLength(1, 'needs at least one key')),
    }),
  )
  .check(z.minLength(1, 'needs at least one organization'));

export const storageProfilesShape = z
  .array(
    z.strictObject({
      organization_id: uuid,
      collector_name: nonEmpty,
      bucket: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')),
      cloud_provider: z.optional(z.enum(['aws', 'gcp', 'azure'], { error: 'must be aws, gcp or azure' })),
      region: z.optional(z.string().check(z.regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1'))),
      instance_num: z.optional(z.int({ error: 'must be a whole number' }).check(z.minimum(1, 'must be 1 or more'))),
      insecure_tls: z.optional(z.boolean()),
      use_path_style: z.optional(z.boolean()),
      endpoint: z.optional(z.string()),
    }),
  )
  .check(z.minLength(1, 'needs at least one profile'));

export const otelConfigShape = z.looseObject({
  receivers: z.record(z.string(), z.unknown()),
  exporters: z.record(z.string(), z.unknown()),
  service: z.looseObject({ pipelines: z.record(z.string(), z.unknown()) }),
});

const YAML_SHAPES = {
  'yaml-api-keys': apiKeysShape,
  'yaml-storage-profiles': storageProfilesShape,
  'yaml-otel-config': otelConfigShape,
} as const;

export const isYamlFormat = (format: ParamFormat | undefined): format is keyof typeof YAML_SHAPES =>
  format !== undefined && format in YAML_SHAPES;

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const where = path === '' ? 'the document' : path.replace(/^\./, '');
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}`;
  return `${where}: ${issue.message}`;
}

/** Parses YAML text and checks its shape. Returns an error message or undefined. */
export async function checkYamlFormat(format: keyof typeof YAML_SHAPES, value: string, label: string): Promise<string | undefined> {
  if (value.trim() === '') return undefined;
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(value, { uniqueKeys: true, prettyErrors: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    return `${label} is not valid YAML${line ? ` (line ${line})` : ''}: ${firstError.message.split('\n')[0]}`;
  }
  let document: unknown;
  try {
    document = doc.toJS();
  } catch (error) {
    // toJS refuses documents whose aliases expand too far ("billion laughs") by throwing.
    return `${label} is not valid YAML: ${error instanceof Error ? error.message : 'it cannot be expanded'}.`;
  }
  const result = YAML_SHAPES[format].safeParse(document);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `${label} does not have the expected shape: ${issue ? describeIssue(issue) : 'unknown problem'}.`;
}
