// The price table's shape and how a figure is looked up: per region, falling back to a basis
// region (marked approximate) where the table has no figure of its own. The figures themselves
// are data in prices.json (npm run prices regenerates them from AWS Price List offer files).
// Isomorphic.
import table from './prices.json';

export interface PriceFigure {
  usd: number;
  /** Where the figure comes from, in words. */
  source: string;
  /** The date the source states (YYYY, YYYY-MM or YYYY-MM-DD). */
  date: string;
  /** Not confirmed from a source, derived by arithmetic or from a bill, or borrowed from another region. */
  approximate: boolean;
}

export interface RegionPrices {
  /** Where figures this region lacks come from. */
  basis?: string;
  note?: string;
  figures: Record<string, PriceFigure>;
}

export interface PriceTable {
  generated: { at: string; from: string; offers?: { service: string; region: string; published: string; file: string }[] };
  regions: Record<string, RegionPrices>;
}

/** Every figure the rules use: its unit and what it prices. RDS instances add `rds.instance.<class>`. */
export const PRICE_ITEMS = {
  'fargate.arm64.vcpuHour': { unit: 'vCPU-hour', label: 'Fargate Linux/ARM64 vCPU' },
  'fargate.arm64.gbHour': { unit: 'GB-hour', label: 'Fargate Linux/ARM64 memory' },
  'fargate.x86_64.vcpuHour': { unit: 'vCPU-hour', label: 'Fargate Linux/x86 vCPU' },
  'fargate.x86_64.gbHour': { unit: 'GB-hour', label: 'Fargate Linux/x86 memory' },
  'fargate.ephemeralGbHour': { unit: 'GB-hour', label: 'Fargate ephemeral storage beyond 20 GB' },
  'rds.gp3GbMonth': { unit: 'GB-month', label: 'RDS gp3 storage, single-AZ' },
  'rds.backupGbMonth': { unit: 'GB-month', label: 'RDS backup storage beyond the free amount' },
  'nat.hour': { unit: 'hour', label: 'NAT gateway' },
  'nat.gb': { unit: 'GB', label: 'NAT gateway data processed' },
  'ipv4.hour': { unit: 'address-hour', label: 'Public IPv4 address' },
  'alb.hour': { unit: 'hour', label: 'Application Load Balancer' },
  'alb.lcuHour': { unit: 'LCU-hour', label: 'Application Load Balancer capacity units' },
  'vpce.azHour': { unit: 'endpoint-AZ-hour', label: 'Interface VPC endpoint, per Availability Zone' },
  'vpce.gb': { unit: 'GB', label: 'Interface VPC endpoint data processed' },
  'efs.standardGbMonth': { unit: 'GB-month', label: 'EFS Standard storage' },
  'efs.elasticReadGb': { unit: 'GB', label: 'EFS Elastic throughput reads' },
  'efs.elasticWriteGb': { unit: 'GB', label: 'EFS Elastic throughput writes' },
  's3.standardGbMonth': { unit: 'GB-month', label: 'S3 Standard storage, first 50 TB' },
  's3.put1000': { unit: '1,000 requests', label: 'S3 PUT, COPY, POST and LIST requests' },
  's3.get1000': { unit: '1,000 requests', label: 'S3 GET and other requests' },
  'sqs.standardMillion': { unit: 'million requests', label: 'SQS standard queue requests' },
  'sqs.fifoMillion': { unit: 'million requests', label: 'SQS FIFO queue requests' },
  'secrets.secretMonth': { unit: 'secret-month', label: 'Secrets Manager secret' },
  'logs.ingestGb': { unit: 'GB', label: 'CloudWatch Logs ingestion (Standard class)' },
  'logs.storageGbMonth': { unit: 'GB-month', label: 'CloudWatch Logs storage' },
  'ssm.advancedMonth': { unit: 'parameter-month', label: 'SSM Parameter Store advanced parameter' },
  'lambda.requestMillion': { unit: 'million requests', label: 'Lambda requests' },
  'lambda.arm64GbSecond': { unit: 'GB-second', label: 'Lambda duration, ARM64' },
  'lambda.x86_64GbSecond': { unit: 'GB-second', label: 'Lambda duration, x86' },
} as const satisfies Record<string, { unit: string; label: string }>;

export type PriceKey = keyof typeof PRICE_ITEMS | `rds.instance.${string}`;

export const PRICE_TABLE: PriceTable = table;

export const unitOf = (key: PriceKey) => (key.startsWith('rds.instance.') ? 'instance-hour' : PRICE_ITEMS[key as keyof typeof PRICE_ITEMS].unit);

export interface FoundPrice extends PriceFigure {
  key: PriceKey;
  /** The region whose figure this is: the asked one, or the basis it fell back to. */
  from: string;
}

/** The figure for `key` in `region`, or the basis region's marked approximate; undefined if none has it. */
export function findPrice(prices: PriceTable, region: string, key: PriceKey, seen: readonly string[] = []): FoundPrice | undefined {
  const entry = prices.regions[region];
  if (!entry || seen.includes(region)) return undefined;
  const own = entry.figures[key];
  if (own) return { ...own, key, from: region };
  if (!entry.basis) return undefined;
  const borrowed = findPrice(prices, entry.basis, key, [...seen, region]);
  return borrowed && { ...borrowed, approximate: true };
}
