// GET /api/runs/[id]/events: a run's event log as Server-Sent Events, live until the run is over.
// Resumes after Last-Event-ID (EventSource's reconnect) or ?after= (the page's first connection),
// on any replica: events another replica stores are found by the run's one poller here. A session
// keeps at most STREAMS_PER_SESSION streams open on a replica; one more gets a 429 saying so.
import { z } from 'zod';
import { ActionError } from '@/lib/auth/action-error';
import { openStream, STREAMS_PER_SESSION, streamOwner } from '@/lib/auth/budgets';
import { defineRoute } from '@/lib/auth/route';
import { resumeAfter, runEventStream, sseResponse, storeRunEventSource } from '@/lib/deploy/sse';
import { env } from '@/lib/env';
import { runStatusOf } from '@/lib/store/run-events';

export const dynamic = 'force-dynamic';

export const GET = defineRoute(
  {
    role: 'viewer',
    params: z.object({ id: z.string().regex(/^[\w-]{1,128}$/, 'Not a run id.') }),
    query: z.object({
      after: z.coerce.number({ error: 'Must be a whole number.' }).int('Must be a whole number.').min(0, 'Must be 0 or more.').optional(),
    }),
  },
  async ({ params, query }, { request, user, sessionToken }) => {
    if ((await runStatusOf(params.id)) === undefined) throw new ActionError('There is no run with this id.', undefined, 404);
    const afterSeq = resumeAfter(request.headers.get('last-event-id'), query.after);
    const close = openStream(streamOwner(sessionToken, user.id));
    if (!close)
      throw new ActionError(
        `Too many live views are open in this session (${STREAMS_PER_SESSION} at most): close another tab or window showing a run, then reload this page.`,
        undefined,
        429,
      );
    return sseResponse(runEventStream(storeRunEventSource(params.id, { pollMs: env().CONSOLE_EVENT_POLL_MS }), { afterSeq, signal: request.signal, onClose: close }));
  },
);
