// GET /api/aws/network?region=…: the VPCs and subnets of the connected account (the sandbox by
// default), for the plan's pickers. Unavailable (no access, no permission) is an answer, not an error.
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { createAwsContext } from '@/lib/aws/clients';
import { getConnection } from '@/lib/aws/connection';
import { AwsError } from '@/lib/aws/errors';
import { listSubnets, listVpcs } from '@/lib/aws/network';
import { REGION_CODES } from '@/lib/params/regions';

export const dynamic = 'force-dynamic';

export const GET = defineRoute(
  { role: 'viewer', query: z.object({ region: z.enum(REGION_CODES, { error: 'Choose a region from the list.' }) }) },
  async ({ query }) => {
    try {
      const connection = await getConnection();
      const context = createAwsContext(connection, query.region);
      const [vpcs, subnets] = await Promise.all([listVpcs(context), listSubnets(context)]);
      return Response.json({ available: true, mode: connection.mode, vpcs, subnets }, { headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return Response.json({ available: false, reason: error.message }, { headers: { 'Cache-Control': 'no-store' } });
    }
  },
);
