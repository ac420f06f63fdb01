// GET /api/plan/lines/<id>: what the plan form needs of one release line (its plain data and its
// stacks' facts), for a switch to a line the page was not sent with. Made once per line; the
// browser keeps it and asks again with its ETag (a 304 while the console's build has not changed
// it), so a console upgrade never leaves a browser with an old line's fields. 404 with the known
// ids for an unknown line.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { errorResponse } from '@/lib/http/responses';
import { loadedLine } from '@/lib/plan';
import { isLineId, LINES } from '@/templates';
import type { LineId } from '@/templates/stack';

const bodies = new Map<LineId, { json: string; etag: string }>();
async function bodyOf(id: LineId) {
  let body = bodies.get(id);
  if (!body) {
    const json = JSON.stringify(await loadedLine(id));
    bodies.set(id, (body = { json, etag: `"${createHash('sha256').update(json).digest('base64url')}"` }));
  }
  return body;
}

export const GET = defineRoute({ role: 'viewer', params: z.object({ id: z.string() }) }, async ({ params }, { request }) => {
  if (!isLineId(params.id)) {
    return errorResponse(404, `No release line ${JSON.stringify(params.id.slice(0, 40))}. Known: ${LINES.map((l) => l.id).join(', ')}.`);
  }
  const { json, etag } = await bodyOf(params.id);
  // private: only signed-in users may read it.
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(json, { headers: { ...headers, 'Content-Type': 'application/json' } });
});
