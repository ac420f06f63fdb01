// POST /api/plan/validate: the server's verdict on a plan (the form shows its field errors).
import { handle } from '@/lib/http/responses';
import { readPlanRequest } from '@/lib/plan/request';

export async function POST(request: Request) {
  return handle(async () => {
    await readPlanRequest(request, { account: true });
    return Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
  });
}
