// What the estimate assumes beyond the templates: the plan's usage figures, and the few rules of
// thumb that turn them into quantities (requests, GB, LCUs), each stated in words beside the
// figures. Also the shapes the pricing rules share. Isomorphic.
import type { TemplateReader } from '@/lib/cfn/resolve';
import type { Resource } from '@/lib/cfn/template';
import type { UsageAssumptions } from '@/lib/params/usage';
import type { StackId } from '@/templates/stack';
import type { PriceKey } from './prices';

const formats = new Map<number, Intl.NumberFormat>();

/** A number for the words of a line (cached formatters: the estimate writes hundreds). */
export function num(value: number, digits = 1): string {
  let format = formats.get(digits);
  if (!format) formats.set(digits, (format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })));
  return format.format(value);
}

/** The AWS Pricing Calculator's and Infracost's month. */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** Rules of thumb, each with the words that state it; change both together. */
export const THUMB = {
  rawObjectMb: 1,
  indexedShare: 0.2,
  lakerunnerPutsPerRawObject: 2,
  getsPerRawObject: 10,
  sqsRequestsPerMessage: 3,
  sqsPollingRequests: Math.round((HOURS_PER_MONTH * 3600) / 20),
  efsStoredGb: 5,
  logGbPerTaskMonth: 1,
  natGbPerTaskMonth: 1,
  albBaselineLcu: 0.1,
  setupTaskMinutes: 5,
  deploymentsPerMonth: 1,
  rdsDailyChangeShare: 0.05,
} as const;

export interface Usage {
  telemetryGbPerDay: number;
  months: number;
  telemetryGbPerMonth: number;
  /** Raw objects the collector writes to the ingest bucket in a month; each one is an S3 event on the queue. */
  rawObjectsPerMonth: number;
}

export function usageFrom(assumptions: UsageAssumptions): Usage {
  const telemetryGbPerDay = Math.max(0, Number(assumptions.telemetryGbPerDay) || 0);
  const months = Math.max(1, Math.round(Number(assumptions.months) || 1));
  const telemetryGbPerMonth = telemetryGbPerDay * DAYS_PER_MONTH;
  return { telemetryGbPerDay, months, telemetryGbPerMonth, rawObjectsPerMonth: (telemetryGbPerMonth * 1024) / THUMB.rawObjectMb };
}

/** The assumptions behind the usage-driven lines, in words. */
export function assumptionWords(usage: Usage): string[] {
  const gb = (n: number) => num(n);
  return [
    `Every resource runs ${HOURS_PER_MONTH} hours a month.`,
    `${gb(usage.telemetryGbPerDay)} GB of telemetry arrive per day (${gb(usage.telemetryGbPerMonth)} GB a month), written to the ingest bucket as raw objects of about ${THUMB.rawObjectMb} MB.`,
    `Storage is priced as it stands at the end of month ${usage.months}: raw objects are kept as long as the bucket's lifecycle rule says, and Lakerunner's indexed files take ${THUMB.indexedShare * 100}% of the raw size and are kept.`,
    `Lakerunner writes ${THUMB.lakerunnerPutsPerRawObject} objects and makes ${THUMB.getsPerRawObject} GET requests for every raw object; the queue gets ${THUMB.sqsRequestsPerMessage} requests per object notification plus ${num(THUMB.sqsPollingRequests, 0)} long polls a month.`,
    `The file system holds ${THUMB.efsStoredGb} GB, and every GB of telemetry passes once through /scratch on it (written and read back).`,
    `Every running task writes ${THUMB.logGbPerTaskMonth} GB of logs a month and sends ${THUMB.natGbPerTaskMonth} GB a month through the NAT gateway (image pulls and AWS APIs without a VPC endpoint); the logs endpoint carries the logs.`,
    `Each load balancer uses ${THUMB.albBaselineLcu} LCU on average; the collector's also processes the telemetry (1 LCU per GB an hour).`,
    `There is ${THUMB.deploymentsPerMonth} deployment a month, and its setup task runs for ${THUMB.setupTaskMinutes} minutes.`,
    `Database backups hold a full copy of the allocated storage plus ${THUMB.rdsDailyChangeShare * 100}% of it for each day kept; a copy's worth is free.`,
  ];
}

/**
 * One charge a rule finds: `quantity` units of the figure `price`. A `ceiling` charge is what an
 * autoscaled service adds at its ceiling: shown, but not part of the monthly total.
 */
export interface Charge {
  counted: string;
  quantity: number;
  price: PriceKey;
  kind: 'fixed' | 'usage' | 'ceiling';
}

/** Plan-wide quantities some rules need (the NAT gateway serves every task, the logs endpoint every log group). */
export interface PlanUsage {
  runningTasks: number;
  logGbPerMonth: number;
}

export interface RuleContext {
  stackId: StackId;
  logicalId: string;
  resource: Resource;
  reader: TemplateReader;
  usage: Usage;
  plan: PlanUsage;
  /** Running tasks that log to each log group of this template. */
  tasksByLogGroup: ReadonlyMap<string, number>;
  /** The Fargate charges of `tasks` more tasks of a service of this template for a month, or undefined when it is not a priced Fargate service. */
  fargateTasks(serviceLogicalId: string, tasks: number, kind: Charge['kind']): Charge[] | undefined;
}

/**
 * What a rule finds: charges; no charge (with why); a charge that only usage decides and the price
 * reference does not give (with what drives it); or no way to price it.
 */
export type RuleOutcome = Charge[] | { free: string } | { usageDriven: string } | { unpriced: string };

/** A resource type's pricing: the charges it causes, or why it costs nothing. */
export type Rule = { free: string } | { charges(context: RuleContext): RuleOutcome };
