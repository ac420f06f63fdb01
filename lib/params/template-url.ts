// The template base URL for quick-create links: where the user publishes the console's
// templates. CloudFormation only accepts templates from S3 (https) in a TemplateURL.

/** CloudFormation's limit for TemplateURL. */
export const TEMPLATE_URL_LIMIT = 1024;

const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
const REGION = '[a-z]{2}(?:-gov)?-[a-z]+-\\d';
const KEY_PREFIX = "(?:/[A-Za-z0-9!_.*'()/-]*)?";
const FORMS = [
  new RegExp(`^https://(?<bucket>${BUCKET})\\.s3(?:[.-](?<region>${REGION}))?\\.amazonaws\\.com${KEY_PREFIX}$`),
  new RegExp(`^https://s3(?:[.-](?<region>${REGION}))?\\.amazonaws\\.com/(?<bucket>${BUCKET})${KEY_PREFIX}$`),
];

export interface TemplateLocation {
  bucket: string;
  region?: string;
  /** Key prefix inside the bucket, without leading slash, with a trailing slash unless empty. */
  prefix: string;
  /** The base URL normalized to end with a slash. */
  base: string;
}

export function parseTemplateBaseUrl(value: string): TemplateLocation | undefined {
  for (const form of FORMS) {
    const match = form.exec(value);
    if (!match?.groups?.bucket) continue;
    const base = value.endsWith('/') ? value : `${value}/`;
    const url = new URL(base);
    const path = decodeURIComponent(url.pathname).replace(/^\//, '');
    const prefix = url.hostname.startsWith('s3.') || url.hostname === 's3.amazonaws.com' ? path.slice(match.groups.bucket.length + 1) : path;
    if (match.groups.bucket.includes('..') || prefix.includes('//')) return undefined;
    return { bucket: match.groups.bucket, region: match.groups.region, prefix, base };
  }
  return undefined;
}

export function checkTemplateBaseUrl(value: string, longestFileName: string): string | undefined {
  if (value === '') return undefined;
  const location = parseTemplateBaseUrl(value);
  if (!location)
    return 'Template base URL must be an https S3 URL such as https://my-bucket.s3.us-east-1.amazonaws.com/lakerunner/.';
  if ((location.base + longestFileName).length > TEMPLATE_URL_LIMIT)
    return `Template base URL is too long: template URLs must stay under ${TEMPLATE_URL_LIMIT} characters.`;
  return undefined;
}

export const templateUrlFor = (base: string, fileName: string) => (base.endsWith('/') ? base : `${base}/`) + fileName;

/** A nested templates mirror: empty (the console publishes its own), or an https S3 URL of a folder, ending in a slash. */
export function checkChildTemplatesUrl(value: string, longestChildFile: string): string | undefined {
  if (value === '') return undefined;
  const example = 'such as https://my-mirror.s3.us-east-1.amazonaws.com/lakerunner/';
  if (!parseTemplateBaseUrl(value)) return `Nested templates mirror must be an https S3 URL, ${example}.`;
  if (!value.endsWith('/')) return `Nested templates mirror must end with a slash (it names a folder), ${example}.`;
  if ((value + longestChildFile).length > TEMPLATE_URL_LIMIT) return `Nested templates mirror is too long: template URLs must stay under ${TEMPLATE_URL_LIMIT} characters.`;
  return undefined;
}
