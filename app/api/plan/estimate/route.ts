// POST /api/plan/estimate: the plan's (the body's) estimated monthly cost, for the live panel.
import { defineRoute } from '@/lib/auth/route';
import { planSchema } from '@/lib/plan';
import { estimatePlan } from '@/lib/plan/estimate';

export const POST = defineRoute({ role: 'viewer', body: planSchema }, async ({ body: plan }) =>
  Response.json(estimatePlan(plan), { headers: { 'Cache-Control': 'no-store' } }),
);
