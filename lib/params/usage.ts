// The plan's usage assumptions for its cost estimate: how much telemetry arrives per day and how
// many months of storage growth to project. Text like parameter values; plan-schema.ts checks them
// the same way in the browser and on the server. Isomorphic.
export interface UsageAssumptions {
  /** GB of telemetry (OTLP payload) sent to Lakerunner per day. */
  telemetryGbPerDay: string;
  /** The estimate prices the storage of this month after the deployment starts. */
  months: string;
}

export const DEFAULT_USAGE: UsageAssumptions = { telemetryGbPerDay: '10', months: '12' };

export const MAX_TELEMETRY_GB_PER_DAY = 100_000;
export const MAX_MONTHS = 60;

/** A plan's usage, or the defaults for plans saved before it had any. */
export const usageOf = (plan: { usage?: UsageAssumptions }): UsageAssumptions => plan.usage ?? DEFAULT_USAGE;
