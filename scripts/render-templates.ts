// npm run templates -- --out DIR [--format yaml|json] [--release 2025|current]
// Writes DIR/<stem>.<ext> for every stack of the release line, rendered with default values, and
// nested children under their folder (DIR/cardinal-lakerunner/<child>.<ext>), which the root
// loads with the same extension. Without --release it writes the 2025 line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { byteLength, type TemplateFormat } from '../lib/cfn/serialize';
import { CURRENT_STACKS } from '../templates/current/index';
import { fileText, templateFiles } from '../templates/files';
import { STACKS_2025 as STACKS } from '../templates/line-2025';

const LINES = { '2025': STACKS, current: CURRENT_STACKS } as const;

const { values } = parseArgs({
  options: { out: { type: 'string' }, format: { type: 'string', default: 'yaml' }, release: { type: 'string', default: '2025' } },
});
if (!values.out) {
  console.error('usage: npm run templates -- --out DIR [--format yaml|json] [--release 2025|current]');
  process.exit(2);
}
if (values.format !== 'yaml' && values.format !== 'json') {
  console.error(`--format must be yaml or json, not "${values.format}"`);
  process.exit(2);
}
if (!(values.release in LINES)) {
  console.error(`--release must be ${Object.keys(LINES).join(' or ')}, not "${values.release}"`);
  process.exit(2);
}
const format: TemplateFormat = values.format;
const stacks = LINES[values.release as keyof typeof LINES];
for (const file of templateFiles(stacks, format)) {
  const path = join(values.out, file.path);
  const text = fileText(file, format);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`${path}  ${byteLength(text).toLocaleString('en-US')} bytes`);
}
