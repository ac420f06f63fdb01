// npm run templates -- --out DIR [--format yaml|json]
// Writes DIR/lakerunner-<stack>.<ext> for every stack, rendered with default values.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { byteLength, serialize, type TemplateFormat } from '../lib/cfn/serialize';
import { STACKS } from '../templates/index';
import { renderTemplate } from '../templates/stack';

const { values } = parseArgs({
  options: { out: { type: 'string' }, format: { type: 'string', default: 'yaml' } },
});
if (!values.out) {
  console.error('usage: npm run templates -- --out DIR [--format yaml|json]');
  process.exit(2);
}
if (values.format !== 'yaml' && values.format !== 'json') {
  console.error(`--format must be yaml or json, not "${values.format}"`);
  process.exit(2);
}
const format: TemplateFormat = values.format;
mkdirSync(values.out, { recursive: true });
for (const stack of STACKS) {
  const text = serialize(renderTemplate(stack), format);
  const file = join(values.out, `${stack.stem}.${format}`);
  writeFileSync(file, text);
  console.log(`${file}  ${byteLength(text).toLocaleString('en-US')} bytes`);
}
