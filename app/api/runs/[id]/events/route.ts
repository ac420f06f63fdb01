// GET /api/runs/[id]/events: a run's event log as Server-Sent Events, live until the run is over.
// Resumes after Last-Event-ID (EventSource's reconnect) or ?after= (the page's first connection),
// on any replica: events another replica stores are found by reading the store every second.
import { z } from 'zod';
import { ActionError } from '@/lib/auth/action-error';
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
  async ({ params, query }, { request }) => {
    if ((await runStatusOf(params.id)) === undefined) throw new ActionError('There is no run with this id.', undefined, 404);
    const afterSeq = resumeAfter(request.headers.get('last-event-id'), query.after);
    return sseResponse(runEventStream(storeRunEventSource(params.id), { afterSeq, signal: request.signal, pollMs: env().CONSOLE_EVENT_POLL_MS }));
  },
);
