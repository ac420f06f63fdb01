// GET /api/aws/stack-outputs?region=…&stacks=a,b: the status and outputs of the named stacks in
// the connected account (the sandbox by default), so the launch steps can fill in the outputs a
// later stack's parameters take. Outputs are never secret (NoEcho applies to parameters only).
// Unavailable (no access, no permission) is an answer, not an error; a missing stack is left out.
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { createAwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { AwsError } from '@/lib/aws/errors';
import { describeStack } from '@/lib/deploy/cfn';
import { checkFormatSync } from '@/lib/params/formats';
import { REGION_CODES } from '@/lib/params/regions';

export const dynamic = 'force-dynamic';

const MAX_STACKS = 20;
const names = z
  .string()
  .transform((text) => [...new Set(text.split(',').map((name) => name.trim()).filter(Boolean))])
  .refine((list) => list.length > 0 && list.length <= MAX_STACKS, `Give 1 to ${MAX_STACKS} stack names, separated by commas.`)
  .refine((list) => list.every((name) => checkFormatSync('stack-name', name, 'Stack name') === undefined), 'Stack names use letters, digits and dashes, starting with a letter.');

export const GET = defineRoute(
  { role: 'viewer', query: z.object({ region: z.enum(REGION_CODES, { error: 'Choose a region from the list.' }), stacks: names }) },
  async ({ query }) => {
    const headers = { 'Cache-Control': 'no-store' };
    try {
      const context = createAwsContext(await getConnection(), query.region);
      const found = await Promise.all(query.stacks.map(async (name) => [name, await describeStack(context.cloudFormation, name)] as const));
      const stacks = Object.fromEntries(found.flatMap(([name, state]) => (state && state.status !== 'REVIEW_IN_PROGRESS' ? [[name, { status: state.status, outputs: state.outputs }]] : [])));
      return Response.json({ available: true, stacks }, { headers });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return Response.json({ available: false, reason: error.message }, { headers });
    }
  },
);
