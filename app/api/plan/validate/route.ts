// POST /api/plan/validate: the server's verdict on a plan (the body); 400 with field errors.
import { defineRoute } from '@/lib/auth/route';
import { serverPlanSchema } from '@/lib/plan';

export const POST = defineRoute({ role: 'viewer', body: serverPlanSchema }, async () =>
  Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } }),
);
