// Reads what CloudFormation (the console's sandbox) recorded, to compare with what the page shows.
import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { sandbox } from './sandbox';

/** Every event id of the stack's operations (the REVIEW_IN_PROGRESS of a change set is not an operation). */
export async function allEventIds(stackName: string): Promise<string[]> {
  const cfn = sandbox.cloudFormation();
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    ids.push(...(page.StackEvents ?? []).filter((e) => String(e.ResourceStatus) !== 'REVIEW_IN_PROGRESS').map((e) => e.EventId ?? ''));
    token = page.NextToken;
  } while (token);
  return ids;
}
