// POST /api/plan/validate: the server's verdict on a plan (the body); 400 with field errors.
import { defineRoute } from '@/lib/auth/route';
import { checkedPlanBody } from '@/lib/plan/request';

export const POST = defineRoute({ role: 'viewer', body: checkedPlanBody }, async () =>
  Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } }),
);
