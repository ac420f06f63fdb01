// GET /api/plan/lines/<id>: what the plan form needs of one release line (its plain data and its
// stacks' facts), for a switch to a line the page was not sent with. The same for every user of
// a build, so the browser may keep it a while. 404 with the known ids for an unknown line.
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { errorResponse } from '@/lib/http/responses';
import { loadedLine } from '@/lib/plan';
import { isLineId, LINES } from '@/templates';

export const GET = defineRoute({ role: 'viewer', params: z.object({ id: z.string() }) }, async ({ params }) => {
  if (!isLineId(params.id)) {
    return errorResponse(404, `No release line ${JSON.stringify(params.id.slice(0, 40))}. Known: ${LINES.map((l) => l.id).join(', ')}.`);
  }
  // private: only signed-in users may read it; an hour, as a new build may change it.
  return Response.json(loadedLine(params.id), { headers: { 'Cache-Control': 'private, max-age=3600' } });
});
