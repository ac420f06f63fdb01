// The plan's usage assumptions for its cost estimate: how much telemetry arrives per day and how
// many months of storage growth to project. Text like parameter values, checked the same way in
// the browser and on the server. Isomorphic.
import * as z from 'zod/mini';

export interface UsageAssumptions {
  /** GB of telemetry (OTLP payload) sent to Lakerunner per day. */
  telemetryGbPerDay: string;
  /** The estimate prices the storage of this month after the deployment starts. */
  months: string;
}

export const DEFAULT_USAGE: UsageAssumptions = { telemetryGbPerDay: '10', months: '12' };

export const MAX_TELEMETRY_GB_PER_DAY = 100_000;
export const MAX_MONTHS = 60;

const TELEMETRY_MESSAGE = `Telemetry per day must be a number of GB from 0 to ${MAX_TELEMETRY_GB_PER_DAY.toLocaleString('en-US')}, such as 10 or 2.5.`;
const MONTHS_MESSAGE = `Months of growth must be a whole number from 1 to ${MAX_MONTHS}.`;

export const usageSchema = z.strictObject({
  telemetryGbPerDay: z
    .string({ error: TELEMETRY_MESSAGE })
    .check(z.trim(), z.refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) <= MAX_TELEMETRY_GB_PER_DAY, TELEMETRY_MESSAGE)),
  months: z
    .string({ error: MONTHS_MESSAGE })
    .check(z.trim(), z.refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_MONTHS, MONTHS_MESSAGE)),
});

/** A plan's usage, or the defaults for plans saved before it had any. */
export const usageOf = (plan: { usage?: UsageAssumptions }): UsageAssumptions => plan.usage ?? DEFAULT_USAGE;
