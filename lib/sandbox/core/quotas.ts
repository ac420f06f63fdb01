// Each account's service quotas as Service Quotas reports them: AWS's defaults for the quotas the
// console reads, changed in process or over the control API (tests set a small Fargate quota).
// Not persisted, like faults: a restart brings the defaults back.

export interface QuotaSetting {
  serviceCode: string;
  quotaCode: string;
  value: number;
  /** Only in this region; every region when absent. */
  region?: string;
  /** Only in this account; every account when absent. */
  accountId?: string;
}

export interface QuotaDefinition {
  serviceCode: string;
  serviceName: string;
  quotaCode: string;
  quotaName: string;
  /** AWS's default value (GetAWSDefaultServiceQuota). */
  defaultValue: number;
  /** The value the account has (GetServiceQuota) unless set otherwise. */
  appliedValue: number;
  usageMetric?: { MetricNamespace: string; MetricName: string; MetricDimensions: Record<string, string>; MetricStatisticRecommendation: string };
}

/** Fargate On-Demand vCPUs: AWS's default is 6; most established accounts have 4,000 applied. */
export const FARGATE_ON_DEMAND_VCPU: QuotaDefinition = {
  serviceCode: 'fargate',
  serviceName: 'AWS Fargate',
  quotaCode: 'L-3032A538',
  quotaName: 'Fargate On-Demand vCPU resource count',
  defaultValue: 6,
  appliedValue: 4000,
  usageMetric: {
    MetricNamespace: 'AWS/Usage',
    MetricName: 'ResourceCount',
    MetricDimensions: { Class: 'Standard/OnDemand', Resource: 'vCPU', Service: 'Fargate', Type: 'Resource' },
    MetricStatisticRecommendation: 'Maximum',
  },
};

export const KNOWN_QUOTAS: readonly QuotaDefinition[] = [FARGATE_ON_DEMAND_VCPU];

export interface QuotaController {
  set(setting: QuotaSetting): void;
  /** Back to the defaults. */
  reset(): void;
}

export class Quotas implements QuotaController {
  private settings: QuotaSetting[] = [];

  set(setting: QuotaSetting) {
    const known = KNOWN_QUOTAS.find((q) => q.serviceCode === setting.serviceCode && q.quotaCode === setting.quotaCode);
    if (!known) throw new Error(`The sandbox models only these quotas: ${KNOWN_QUOTAS.map((q) => `${q.serviceCode}/${q.quotaCode}`).join(', ')}`);
    if (typeof setting.value !== 'number' || !Number.isFinite(setting.value) || setting.value < 0) throw new Error('value must be a number of 0 or more');
    if (setting.region !== undefined && typeof setting.region !== 'string') throw new Error('region must be a region name');
    if (setting.accountId !== undefined && (typeof setting.accountId !== 'string' || !/^\d{12}$/.test(setting.accountId))) throw new Error('accountId must be 12 digits');
    const same = (s: QuotaSetting) => s.serviceCode === setting.serviceCode && s.quotaCode === setting.quotaCode && s.region === setting.region && s.accountId === setting.accountId;
    this.settings = [...this.settings.filter((s) => !same(s)), { ...setting }];
  }

  reset() {
    this.settings = [];
  }

  /** The quota in `account`'s `region`, or undefined when the sandbox does not model it. The most specific setting wins. */
  applied(serviceCode: string, quotaCode: string, region: string, account: string): { definition: QuotaDefinition; value: number } | undefined {
    const definition = KNOWN_QUOTAS.find((q) => q.serviceCode === serviceCode && q.quotaCode === quotaCode);
    if (!definition) return undefined;
    const mine = (s: QuotaSetting) => s.serviceCode === serviceCode && s.quotaCode === quotaCode;
    const rank = (s: QuotaSetting) => (s.accountId === account ? 2 : 0) + (s.region === region ? 1 : 0);
    const applicable = this.settings.filter((s) => mine(s) && (s.accountId === undefined || s.accountId === account) && (s.region === undefined || s.region === region));
    const setting = applicable.sort((a, b) => rank(b) - rank(a))[0];
    return { definition, value: setting?.value ?? definition.appliedValue };
  }
}
