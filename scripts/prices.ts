// npm run prices -- --offers DIR [--out FILE]
// Regenerates the price table (lib/cost/prices.json) from AWS Price List offer files saved in DIR
// as AWS publishes them: DIR/<serviceCode>/current/region_index.json and each region's offer at
// the path its currentVersionUrl names under DIR (or DIR/<serviceCode>/current/<region>/index.json).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pricesFromOffers, SELECTORS, type OfferFile } from '../lib/cost/offers';
import { PRICE_TABLE, type PriceTable } from '../lib/cost/prices';

const { values } = parseArgs({ options: { offers: { type: 'string' }, out: { type: 'string', default: 'lib/cost/prices.json' } } });
if (!values.offers) {
  console.error('usage: npm run prices -- --offers DIR [--out FILE]');
  process.exit(2);
}
const dir = resolve(values.offers);
if (!existsSync(dir)) {
  console.error(`${dir} does not exist`);
  process.exit(2);
}

const SERVICES = new Set([...Object.values(SELECTORS).flatMap((s) => s?.services ?? []), 'AmazonRDS']);
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

function regionIndex(service: string): { file: string; regions: Record<string, { currentVersionUrl?: string }> } | undefined {
  for (const file of [join(dir, service, 'current', 'region_index.json'), join(dir, service, 'region_index.json')])
    if (existsSync(file)) return { file, regions: ((readJson(file) as { regions?: Record<string, { currentVersionUrl?: string }> }).regions ?? {}) };
  return undefined;
}

const files: OfferFile[] = [];
const problems: string[] = [];
for (const service of readdirSync(dir).filter((name) => SERVICES.has(name)).sort()) {
  const index = regionIndex(service);
  if (!index) {
    problems.push(`${service}: no region_index.json`);
    continue;
  }
  for (const [region, entry] of Object.entries(index.regions).sort(([a], [b]) => a.localeCompare(b))) {
    if (!(region in PRICE_TABLE.regions)) continue;
    const fromUrl = entry.currentVersionUrl ? join(dir, entry.currentVersionUrl.replace(/^\/?offers\/v1\.0\/aws\//, '')) : undefined;
    const file = [fromUrl, join(dir, service, 'current', region, 'index.json')].find((f) => f && existsSync(f));
    if (!file) {
      problems.push(`${service} ${region}: listed in ${relative(dir, index.file)}, but its offer file is not in ${dir}`);
      continue;
    }
    files.push({ service, region, file: relative(dir, file), offer: readJson(file) as OfferFile['offer'] });
  }
}

if (files.length === 0) {
  console.error(`No offer files for the form's regions in ${dir}.${problems.length ? `\n${problems.join('\n')}` : ''}`);
  process.exit(1);
}
const base: PriceTable = existsSync(values.out) ? (readJson(values.out) as PriceTable) : PRICE_TABLE;
const { table, found, missing } = pricesFromOffers(files, base, new Date(), `AWS Price List offer files in ${basename(dir)}`);
writeFileSync(values.out, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${values.out}: ${found.length} figures from ${files.length} offer files; the others kept their previous values.`);
for (const line of missing) console.log(`not in the offers (kept): ${line}`);
for (const line of problems) console.log(`skipped: ${line}`);
