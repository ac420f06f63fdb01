// The account's Fargate On-Demand vCPU quota from Service Quotas (service fargate, L-3032A538):
// the value applied to the account, else AWS's default. An identity that may not read quotas, or
// an endpoint without Service Quotas (some emulators), gives the reason instead of a number.
import 'server-only';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import type { AwsContext } from './clients';
import { AccessDeniedError, awsCall, AwsError, EndpointUnreachableError, ThrottledError, UnexpectedAnswerError } from './errors';

export const FARGATE_VCPU_QUOTA = { ServiceCode: 'fargate', QuotaCode: 'L-3032A538' } as const;
export const FARGATE_VCPU_QUOTA_NAME = 'Fargate On-Demand vCPU resource count';

export type QuotaReading = { value: number; source: 'applied' | 'default' } | { unavailable: string };

/** GetServiceQuota answers NoSuchResourceException for a quota never changed in some accounts. */
const isUnset = (error: unknown) => error instanceof AwsError && error.code === 'NoSuchResourceException';

export async function readFargateQuota(context: AwsContext): Promise<QuotaReading> {
  try {
    const applied = await awsCall('GetServiceQuota', () => context.serviceQuotas.send(new GetServiceQuotaCommand(FARGATE_VCPU_QUOTA)))
      .then((r) => r.Quota?.Value)
      .catch((error: unknown) => {
        if (isUnset(error)) return undefined;
        throw error;
      });
    if (typeof applied === 'number') return { value: applied, source: 'applied' };
    const fallback = await awsCall('GetAWSDefaultServiceQuota', () => context.serviceQuotas.send(new GetAWSDefaultServiceQuotaCommand(FARGATE_VCPU_QUOTA)));
    const value = fallback.Quota?.Value;
    return typeof value === 'number' ? { value, source: 'default' } : { unavailable: 'Service Quotas returned no value for it.' };
  } catch (error) {
    if (error instanceof AccessDeniedError) return { unavailable: 'the identity may not read Service Quotas (servicequotas:GetServiceQuota).' };
    if (error instanceof ThrottledError) return { unavailable: 'Service Quotas is throttling requests.' };
    if (error instanceof UnexpectedAnswerError)
      return { unavailable: `Service Quotas could not be asked, because the endpoint answered with ${error.answer}: ${error.meaning}.` };
    if (error instanceof EndpointUnreachableError) return { unavailable: `Service Quotas did not answer. ${error.message}` };
    if (error instanceof AwsError) return { unavailable: `Service Quotas answered: ${error.message}` };
    throw error;
  }
}
