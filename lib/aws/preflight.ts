// The check before anything runs: who are we (GetCallerIdentity through the assumed role, if
// any), and can we use CloudFormation in the region. Each failure gets a message that says
// what to fix.
import 'server-only';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsContext, RoleToAssume } from './clients';
import {
  AccessDeniedError,
  awsCall,
  CredentialsError,
  describeAwsFailure,
  EndpointUnreachableError,
  ExpiredCredentialsError,
  type AwsError,
} from './errors';

export interface Identity {
  account: string;
  arn: string;
  userId: string;
}

export type PreflightResult = { ok: true; identity: Identity; region: string } | { ok: false; problem: string; field?: 'roleArn' | 'externalId' | 'region' };

export function explainPreflightFailure(error: AwsError, region: string, role?: RoleToAssume): Extract<PreflightResult, { ok: false }> {
  if (error instanceof CredentialsError)
    return { ok: false, problem: 'The console has no usable AWS credentials. Configure the default chain (environment variables, a profile, SSO or an instance role) and restart it.' };
  if (error instanceof ExpiredCredentialsError) return { ok: false, problem: error.message };
  if (error instanceof EndpointUnreachableError) return { ok: false, problem: `${error.message} Check AWS_ENDPOINT_URL and the network.` };
  if (error instanceof AccessDeniedError && role && error.operation === 'AssumeRole')
    return {
      ok: false,
      field: 'externalId',
      problem: `AWS refused to let the console assume ${role.arn}: the role's trust policy does not allow it with this ExternalId. Check the ExternalId and the role's trust policy.`,
    };
  if (error instanceof AccessDeniedError && error.operation === 'ListStacks')
    return { ok: false, field: 'region', problem: `The identity may not use CloudFormation in ${region}: ${error.message}` };
  return { ok: false, problem: describeAwsFailure(error) };
}

export async function preflight(context: AwsContext, role?: RoleToAssume): Promise<PreflightResult> {
  try {
    const identity = await awsCall(role ? 'AssumeRole' : 'GetCallerIdentity', async () => {
      // With a role, the first call resolves the assumed credentials: a refusal is AssumeRole's.
      if (role) await context.credentials();
      return context.sts.send(new GetCallerIdentityCommand({}));
    });
    await awsCall('ListStacks', () => context.cloudFormation.send(new ListStacksCommand({})));
    return {
      ok: true,
      region: context.region,
      identity: { account: identity.Account ?? '', arn: identity.Arn ?? '', userId: identity.UserId ?? '' },
    };
  } catch (error) {
    return explainPreflightFailure(error as AwsError, context.region, role);
  }
}
