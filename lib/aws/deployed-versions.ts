// The version AWS runs for a deployed resource, which AWS may have raised on its own (RDS applies
// minor upgrades): read from the service itself, never from the template. Server-only.
import 'server-only';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import type { VersionFloor } from '@/templates/stack';
import type { AwsContext } from './clients';
import { awsCall, NotFoundError } from './errors';

/** The running version of `physicalId` (a resource of `type`), or undefined when it no longer exists. */
export async function deployedVersion(context: Pick<AwsContext, 'rds'>, type: VersionFloor['resourceType'], physicalId: string): Promise<string | undefined> {
  switch (type) {
    case 'AWS::RDS::DBInstance':
      try {
        const result = await awsCall('DescribeDBInstances', () => context.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: physicalId })));
        return result.DBInstances?.[0]?.EngineVersion;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
  }
}
