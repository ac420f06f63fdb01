// A small XML writer for AWS's query, EC2 and S3 responses: nested objects become elements,
// arrays become repeated `member` (query) or `item` (EC2) children, undefined is omitted.
export class RawXml {
  constructor(readonly xml: string) {}
}

export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | undefined
  | null
  | RawXml
  | readonly XmlValue[]
  // Records and interfaces alike (interfaces do not satisfy index signatures).
  | object;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

export const escapeXml = (text: string) => text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!);

/** The children of an element whose content is `value`. */
export function xmlContent(value: XmlValue, listItem: string): string {
  if (value === undefined || value === null) return '';
  if (value instanceof RawXml) return value.xml;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => xmlElement(listItem, item as XmlValue, listItem)).join('');
  let out = '';
  for (const [key, child] of Object.entries(value as Record<string, XmlValue>)) {
    if (child === undefined || child === null) continue;
    out += xmlElement(key, child, listItem);
  }
  return out;
}

export function xmlElement(name: string, value: XmlValue, listItem = 'member'): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlContent(value, listItem)}</${name}>`;
}
