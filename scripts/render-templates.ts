// npm run templates -- --out DIR [--format yaml|json] [--release 2025]
// Writes DIR/<stem>.<ext> for every stack of a release line (the 2025 line by default), rendered with default values.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { byteLength, serialize, type TemplateFormat } from '../lib/cfn/serialize';
import { isLineId, lineById, LINES } from '../templates/index';
import { renderTemplate } from '../templates/stack';

const { values } = parseArgs({
  options: { out: { type: 'string' }, format: { type: 'string', default: 'yaml' }, release: { type: 'string', default: '2025' } },
});
if (!values.out) {
  console.error('usage: npm run templates -- --out DIR [--format yaml|json] [--release 2025]');
  process.exit(2);
}
if (!isLineId(values.release)) {
  console.error(`--release must be one of ${LINES.map((l) => l.id).join(', ')}, not "${values.release}"`);
  process.exit(2);
}
if (values.format !== 'yaml' && values.format !== 'json') {
  console.error(`--format must be yaml or json, not "${values.format}"`);
  process.exit(2);
}
const format: TemplateFormat = values.format;
mkdirSync(values.out, { recursive: true });
for (const stack of lineById(values.release).stacks) {
  const text = serialize(renderTemplate(stack), format);
  const file = join(values.out, `${stack.stem}.${format}`);
  writeFileSync(file, text);
  console.log(`${file}  ${byteLength(text).toLocaleString('en-US')} bytes`);
}
