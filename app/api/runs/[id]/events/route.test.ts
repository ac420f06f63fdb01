import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '@/lib/auth/sessions';
import { actAs } from '@/lib/auth/testing';
import { STREAMS_PER_SESSION } from '@/lib/auth/budgets';
import { createUser, findUserRow } from '@/lib/auth/users';
import { readSse } from '@/lib/deploy/testing/sse-reader';
import { appendRunEvents } from '@/lib/store/run-events';
import { insertRun } from '@/lib/store/testing/runs';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { GET } from './route';

vi.mock('next/headers', async () => (await import('@/lib/auth/testing')).fakeNextHeaders);

setupTempStore();
afterEach(async () => actAs(undefined));

let mine = '';
async function signIn() {
  const user = await createUser({ username: 'watcher', role: 'viewer', password: 'a long password' });
  mine = (await createSession(user.id, undefined)).token;
  actAs(mine);
}

function get(id: string, init: { query?: string; lastEventId?: string; signal?: AbortSignal } = {}) {
  const headers = init.lastEventId === undefined ? undefined : { 'Last-Event-ID': init.lastEventId };
  const request = new Request(`http://console.test/api/runs/${id}/events${init.query ?? ''}`, { headers, signal: init.signal });
  return GET(request, { params: Promise.resolve({ id }) });
}

const seqsOf = async (runId: string, count: number) =>
  (await appendRunEvents(runId, Array.from({ length: count }, (_, i) => ({ event: { type: 'note', level: 'info', message: `n${i}` } })))).map((e) => e.seq);

describe('GET /api/runs/[id]/events', () => {
  it('needs a signed-in user', async () => {
    await insertRun('r1');
    const response = await get('r1');
    expect(response.status).toBe(401);
  });

  it('answers 404 for an unknown run', async () => {
    await signIn();
    const response = await get('nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'There is no run with this id.' });
  });

  it.each([
    ['a malformed id', 'a%20b', {}, 'id'],
    ['a negative ?after=', 'r1', { query: '?after=-3' }, 'after'],
    ['a non-numeric ?after=', 'r1', { query: '?after=x' }, 'after'],
    ['a malformed Last-Event-ID', 'r1', { lastEventId: 'x' }, 'Last-Event-ID'],
  ])('answers 400 for %s, naming the field', async (_, id, init, field) => {
    await signIn();
    await insertRun('r1');
    const response = await get(decodeURIComponent(id), init);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fieldErrors)).toEqual([field]);
  });

  it('streams with the SSE headers, resuming after Last-Event-ID rather than ?after=', async () => {
    await signIn();
    await insertRun('r1');
    const seqs = await seqsOf('r1', 6);
    const abort = new AbortController();
    const response = await get('r1', { query: `?after=${seqs[0]}`, lastEventId: String(seqs[3]), signal: abort.signal });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const ids: number[] = [];
    const reading = readSse(response.body!, { onMessage: (m) => ids.push(Number(m.id)) });
    while (ids.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(ids).toEqual(seqs.slice(4));
    abort.abort();
    await reading.finished;
  });

  it('ends the stream of a finished run after its events', async () => {
    await signIn();
    await insertRun('r1', 'succeeded');
    const seqs = await seqsOf('r1', 2);
    const response = await get('r1', { query: `?after=${seqs[0]}` });
    const messages: string[] = [];
    await readSse(response.body!, { onMessage: (m) => messages.push(`${m.event} ${m.id ?? ''}`.trim()) }).finished;
    expect(messages).toEqual([`note ${seqs[1]}`, 'end']);
  });

  it(`keeps at most ${STREAMS_PER_SESSION} streams open per session, and answers one more with a 429 saying what to do`, async () => {
    await signIn();
    await insertRun('r1');
    const open = [];
    for (let i = 0; i < STREAMS_PER_SESSION; i += 1) {
      const abort = new AbortController();
      const response = await get('r1', { signal: abort.signal });
      expect(response.status).toBe(200);
      open.push({ abort, reading: readSse(response.body!, {}) });
    }
    const refused = await get('r1');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: `Too many live views are open in this session (${STREAMS_PER_SESSION} at most): close another tab or window showing a run, then reload this page.`,
    });
    // another session of the same user has its own count
    const other = await createSession((await findUserRow('watcher'))!.id, undefined);
    actAs(other.token);
    const elsewhere = new AbortController();
    expect((await get('r1', { signal: elsewhere.signal })).status).toBe(200);
    elsewhere.abort();
    // one closed: there is room again
    actAs(mine);
    open[0]!.abort.abort();
    await open[0]!.reading.finished;
    const again = new AbortController();
    expect((await get('r1', { signal: again.signal })).status).toBe(200);
    again.abort();
    for (const stream of open.slice(1)) stream.abort.abort();
  });
});
