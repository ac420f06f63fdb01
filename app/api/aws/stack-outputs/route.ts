// GET /api/aws/stack-outputs?region=…&stacks=a,b: the status and outputs of the named stacks in
// the connected account (the sandbox by default), so the launch steps can fill in the outputs a
// later stack's parameters take. Outputs are never secret (NoEcho applies to parameters only).
// Unavailable (no access, no permission) is an answer, not an error; a missing stack is left out.
// POST { stacks: [...], account: { accountId, region, roleArn, externalId } }: the same for stacks a
// plan puts in another account, read there through the role the plan gives (as the engine does).
// The ExternalId travels in the body only, never in a URL, and is kept out of the answer.
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { createAwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { AwsError } from '@/lib/aws/errors';
import { describeStack } from '@/lib/deploy/cfn';
import { roleOfTarget } from '@/lib/deploy/accounts';
import { targetProblems, type AccountTarget } from '@/lib/params/accounts';
import { checkFormatSync } from '@/lib/params/formats';
import { REGION_CODES } from '@/lib/params/regions';
import type { AwsContext } from '@/lib/aws/clients';

export const dynamic = 'force-dynamic';

const MAX_STACKS = 20;
const nameList = z
  .array(z.string().trim())
  .transform((list) => [...new Set(list.filter(Boolean))])
  .refine((list) => list.length > 0 && list.length <= MAX_STACKS, `Give 1 to ${MAX_STACKS} stack names, separated by commas.`)
  .refine((list) => list.every((name) => checkFormatSync('stack-name', name, 'Stack name') === undefined), 'Stack names use letters, digits and dashes, starting with a letter.');
const names = z.string().transform((text) => text.split(',')).pipe(nameList);

const account = z
  .strictObject({
    accountId: z.string({ error: 'Account ID must be given.' }),
    region: z.enum(REGION_CODES, { error: 'Choose a region from the list.' }),
    roleArn: z.string({ error: 'Deploy role ARN must be given.' }),
    externalId: z.string({ error: 'External ID must be text (empty for none).' }).default(''),
  })
  .superRefine((target, ctx) => {
    for (const [path, message] of Object.entries(targetProblems(target))) ctx.addIssue({ code: 'custom', path: [path], message });
  });

/** The stacks' status and outputs as `context` reads them; unavailable (no access, no permission) is an answer. */
async function outputsIn(context: () => AwsContext, stacks: readonly string[], secret?: string): Promise<Response> {
  const headers = { 'Cache-Control': 'no-store' };
  try {
    const cfn = context().cloudFormation;
    const found = await Promise.all(stacks.map(async (name) => [name, await describeStack(cfn, name)] as const));
    const answer = Object.fromEntries(found.flatMap(([name, state]) => (state && state.status !== 'REVIEW_IN_PROGRESS' ? [[name, { status: state.status, outputs: state.outputs }]] : [])));
    return Response.json({ available: true, stacks: answer }, { headers });
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    // (AWS does not echo an ExternalId; this keeps it so should that change)
    return Response.json({ available: false, reason: secret ? error.message.replaceAll(secret, '…') : error.message }, { headers });
  }
}

export const GET = defineRoute(
  { role: 'viewer', query: z.object({ region: z.enum(REGION_CODES, { error: 'Choose a region from the list.' }), stacks: names }) },
  async ({ query }) => {
    const connection = await getConnection();
    return outputsIn(() => createAwsContext(connection, query.region), query.stacks);
  },
);

/** Assuming a plan's deploy role is a deployer's act, as deploying through it is. */
export const POST = defineRoute({ role: 'deployer', body: z.strictObject({ stacks: nameList, account }) }, async ({ body }, { user }) => {
  const connection = await getConnection();
  const target: AccountTarget = body.account;
  return outputsIn(() => createAwsContext(connection, target.region, roleOfTarget(target, user.username)), body.stacks, target.externalId || undefined);
});
