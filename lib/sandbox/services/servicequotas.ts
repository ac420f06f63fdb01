// Service Quotas over JSON 1.1 (x-amz-target ServiceQuotasV20190624.*): the applied and the AWS
// default value of the quotas the sandbox models in the caller's account, with AWS's error for any other.
import { AwsError } from '../core/errors';
import type { QuotaDefinition, Quotas } from '../core/quotas';

type Body = Record<string, unknown>;

function codes(body: Body): { serviceCode: string; quotaCode: string } {
  const { ServiceCode: serviceCode, QuotaCode: quotaCode } = body;
  if (typeof serviceCode !== 'string' || serviceCode === '')
    throw new AwsError('ValidationException', "1 validation error detected: Value null at 'serviceCode' failed to satisfy constraint: Member must not be null");
  if (typeof quotaCode !== 'string' || quotaCode === '')
    throw new AwsError('ValidationException', "1 validation error detected: Value null at 'quotaCode' failed to satisfy constraint: Member must not be null");
  return { serviceCode, quotaCode };
}

const quota = (definition: QuotaDefinition, value: number, region: string, account: string) => ({
  ServiceCode: definition.serviceCode,
  ServiceName: definition.serviceName,
  QuotaArn: `arn:aws:servicequotas:${region}:${account}:${definition.serviceCode}/${definition.quotaCode}`,
  QuotaCode: definition.quotaCode,
  QuotaName: definition.quotaName,
  Value: value,
  Unit: 'None',
  Adjustable: true,
  GlobalQuota: false,
  ...(definition.usageMetric ? { UsageMetric: definition.usageMetric } : {}),
});

export function handleServiceQuotas(action: string, body: Body, quotas: Quotas, region: string, account: string): Body {
  switch (action) {
    case 'GetServiceQuota':
    case 'GetAWSDefaultServiceQuota': {
      const { serviceCode, quotaCode } = codes(body);
      const found = quotas.applied(serviceCode, quotaCode, region, account);
      if (!found) throw new AwsError('NoSuchResourceException', `The request failed because the specified service quota (${serviceCode} ${quotaCode}) does not exist.`);
      return { Quota: quota(found.definition, action === 'GetServiceQuota' ? found.value : found.definition.defaultValue, region, account) };
    }
    default:
      throw new AwsError('UnknownOperationException', `The action ${action} is not valid for this web service.`);
  }
}
