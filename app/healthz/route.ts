// GET /healthz: for load balancers and orchestrators. 200 when this replica's store answers, 503
// when it does not; public, so it says nothing more than that (the logs say why).
import { storeAnswers } from '@/lib/store/db';

export const dynamic = 'force-dynamic';

const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };

async function check(): Promise<Response> {
  const ok = await storeAnswers();
  return new Response(ok ? 'ok\n' : 'unavailable\n', { status: ok ? 200 : 503, headers });
}

export const GET = check;
export async function HEAD(): Promise<Response> {
  const response = await check();
  return new Response(null, { status: response.status, headers });
}
