// Regenerates the price table from AWS Price List offer files (the per-region offer JSON that
// pricing.us-east-1.amazonaws.com publishes): for every figure, the product whose usage type ends
// in the figure's suffix, in an AWS Region, and its on-demand price from the first tier. Figures
// the offers lack keep their previous value. Pure: reading the files is scripts/prices.ts's job.
import { PRICE_ITEMS, type PriceFigure, type PriceKey, type PriceTable } from './prices';

export interface OfferFile {
  /** The service code, e.g. AmazonECS. */
  service: string;
  region: string;
  /** Where it was read from, for the record. */
  file: string;
  offer: Offer;
}

interface Offer {
  offerCode?: string;
  publicationDate?: string;
  products?: Record<string, { sku?: string; productFamily?: string; attributes?: Record<string, string> }>;
  terms?: { OnDemand?: Record<string, Record<string, { priceDimensions?: Record<string, { beginRange?: string; unit?: string; pricePerUnit?: { USD?: string } }> }>> };
}

interface Selector {
  services: readonly string[];
  /** The usage type after the region's billing prefix (USE1-, EU-, APS2-…). */
  usagetype: string;
  attributes?: Readonly<Record<string, string>>;
  /** Offer prices are per unit; the table's unit may be a thousand or a million of them. */
  per?: number;
}

const ALB = { operation: 'LoadBalancing:Application' };

export const SELECTORS: Partial<Record<keyof typeof PRICE_ITEMS, Selector>> = {
  'fargate.arm64.vcpuHour': { services: ['AmazonECS'], usagetype: 'Fargate-ARM-vCPU-Hours:perCPU' },
  'fargate.arm64.gbHour': { services: ['AmazonECS'], usagetype: 'Fargate-ARM-GB-Hours' },
  'fargate.x86_64.vcpuHour': { services: ['AmazonECS'], usagetype: 'Fargate-vCPU-Hours:perCPU' },
  'fargate.x86_64.gbHour': { services: ['AmazonECS'], usagetype: 'Fargate-GB-Hours' },
  'fargate.ephemeralGbHour': { services: ['AmazonECS'], usagetype: 'Fargate-EphemeralStorage-GB-Hours' },
  'rds.gp3GbMonth': { services: ['AmazonRDS'], usagetype: 'RDS:GP3-Storage' },
  'rds.backupGbMonth': { services: ['AmazonRDS'], usagetype: 'RDS:ChargedBackupUsage' },
  'nat.hour': { services: ['AmazonEC2'], usagetype: 'NatGateway-Hours' },
  'nat.gb': { services: ['AmazonEC2'], usagetype: 'NatGateway-Bytes' },
  'ipv4.hour': { services: ['AmazonVPC'], usagetype: 'PublicIPv4:InUseAddress' },
  // Some copies of AWSELB lack a region; those SKUs are then filed under AmazonEC2.
  'alb.hour': { services: ['AWSELB', 'AmazonEC2'], usagetype: 'LoadBalancerUsage', attributes: ALB },
  'alb.lcuHour': { services: ['AWSELB', 'AmazonEC2'], usagetype: 'LCUUsage', attributes: ALB },
  'vpce.azHour': { services: ['AmazonVPC'], usagetype: 'VpcEndpoint-Hours' },
  'vpce.gb': { services: ['AmazonVPC'], usagetype: 'VpcEndpoint-Bytes' },
  'efs.standardGbMonth': { services: ['AmazonEFS'], usagetype: 'TimedStorage-ByteHrs' },
  's3.standardGbMonth': { services: ['AmazonS3'], usagetype: 'TimedStorage-ByteHrs' },
  's3.put1000': { services: ['AmazonS3'], usagetype: 'Requests-Tier1', per: 1000 },
  's3.get1000': { services: ['AmazonS3'], usagetype: 'Requests-Tier2', per: 1000 },
  'sqs.standardMillion': { services: ['AWSQueueService'], usagetype: 'Requests-RBP', attributes: { queueType: 'Standard' }, per: 1e6 },
  'sqs.fifoMillion': { services: ['AWSQueueService'], usagetype: 'Requests-RBP', attributes: { queueType: 'FIFO (first-in, first-out)' }, per: 1e6 },
  'secrets.secretMonth': { services: ['AWSSecretsManager'], usagetype: 'AWSSecretsManager-Secrets' },
  'logs.ingestGb': { services: ['AmazonCloudWatch'], usagetype: 'DataProcessing-Bytes' },
  'logs.storageGbMonth': { services: ['AmazonCloudWatch'], usagetype: 'TimedStorage-ByteHrs' },
};

/** RDS instance classes: single-AZ PostgreSQL, InstanceUsage:<class>. */
const rdsSelector = (instanceClass: string): Selector => ({
  services: ['AmazonRDS'],
  usagetype: `InstanceUsage:${instanceClass}`,
  attributes: { databaseEngine: 'PostgreSQL', deploymentOption: 'Single-AZ' },
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The usage type exactly, after an optional billing prefix: NatGateway-Hours, not RegionalNatGateway-Hours. */
const usagetypePattern = (suffix: string) => new RegExp(`^(?:[A-Z]{2,4}\\d?-)?${escape(suffix)}$`);

interface Match {
  usd: number;
  usagetype: string;
  file: OfferFile;
}

function select(files: readonly OfferFile[], region: string, selector: Selector): Match | undefined {
  const pattern = usagetypePattern(selector.usagetype);
  for (const service of selector.services)
    for (const file of files.filter((f) => f.region === region && f.service === service)) {
      const products = Object.entries(file.offer.products ?? {}).sort(([a], [b]) => a.localeCompare(b));
      for (const [sku, product] of products) {
        const a = product.attributes ?? {};
        if (!pattern.test(a.usagetype ?? '')) continue;
        if (a.locationType !== undefined && a.locationType !== 'AWS Region') continue;
        if (a.regionCode !== undefined && a.regionCode !== region) continue;
        if (Object.entries(selector.attributes ?? {}).some(([key, value]) => a[key] !== value)) continue;
        for (const term of Object.values(file.offer.terms?.OnDemand?.[sku] ?? {})) {
          const dimension = Object.values(term.priceDimensions ?? {}).find((d) => (d.beginRange ?? '0') === '0');
          const usd = Number(dimension?.pricePerUnit?.USD);
          if (dimension && Number.isFinite(usd)) return { usd: usd * (selector.per ?? 1), usagetype: a.usagetype ?? '', file };
        }
      }
    }
  return undefined;
}

export interface Regenerated {
  table: PriceTable;
  /** "region key" of every figure taken from the offers. */
  found: string[];
  /** "region key" of figures an offer of their service was given for, but did not contain. */
  missing: string[];
}

export function pricesFromOffers(files: readonly OfferFile[], base: PriceTable, at: Date, from: string): Regenerated {
  const table: PriceTable = structuredClone(base);
  const found: string[] = [];
  const missing: string[] = [];
  const classes = [...new Set(Object.values(base.regions).flatMap((r) => Object.keys(r.figures).filter((k) => k.startsWith('rds.instance.'))))];
  const selectors: [PriceKey, Selector][] = [
    ...(Object.entries(SELECTORS) as [PriceKey, Selector][]),
    ...classes.map((key): [PriceKey, Selector] => [key as PriceKey, rdsSelector(key.slice('rds.instance.'.length))]),
  ];
  const regions = [...new Set(files.map((f) => f.region))].filter((region) => region in table.regions);
  for (const region of regions) {
    const entry = table.regions[region]!;
    for (const [key, selector] of selectors) {
      const match = select(files, region, selector);
      if (!match) {
        if (files.some((f) => f.region === region && selector.services.includes(f.service))) missing.push(`${region} ${key}`);
        continue;
      }
      const published = match.file.offer.publicationDate ?? '';
      const figure: PriceFigure = {
        usd: Number(match.usd.toPrecision(10)),
        source: `AWS Price List offer ${match.file.offer.offerCode ?? match.file.service} for ${region}, usage type ${match.usagetype} (${match.file.file})`,
        date: published.slice(0, 10) || at.toISOString().slice(0, 10),
        approximate: false,
      };
      entry.figures[key] = figure;
      found.push(`${region} ${key}`);
    }
    entry.figures = Object.fromEntries(Object.entries(entry.figures).sort(([a], [b]) => a.localeCompare(b)));
    if (entry.basis) entry.note = `Regenerated from offer files on ${at.toISOString().slice(0, 10)}; figures they lack come from ${entry.basis}, marked approximate.`;
  }
  table.generated = {
    at: at.toISOString(),
    from,
    offers: files.map((f) => ({ service: f.service, region: f.region, published: f.offer.publicationDate ?? 'unknown', file: f.file })),
  };
  return { table, found, missing };
}
