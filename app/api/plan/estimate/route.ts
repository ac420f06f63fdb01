// POST /api/plan/estimate: the plan's (the body's) estimated monthly cost, for the live panel.
// A plan estimated lately is answered from the cache; making a new estimate spends the user's
// budget (lib/auth/budgets.ts), and past it the answer is a 429 with Retry-After.
import { spend } from '@/lib/auth/budgets';
import { defineRoute } from '@/lib/auth/route';
import { errorResponse } from '@/lib/http/responses';
import { planSchema } from '@/lib/plan';
import { estimatePlanCached } from '@/lib/plan/estimate';

class OverBudget extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('over budget');
  }
}

export const POST = defineRoute({ role: 'viewer', body: planSchema }, async ({ body: plan }, { user }) => {
  try {
    const { estimate } = estimatePlanCached(plan, () => {
      const budget = spend('estimate', `user:${user.id}`);
      if (!budget.ok) throw new OverBudget(budget.retryAfterSeconds);
    });
    return Response.json(estimate, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    const response = errorResponse(429, `Too many cost estimates asked for at once: wait ${error.retryAfterSeconds} s, and the estimate updates with your next change.`);
    response.headers.set('Retry-After', String(error.retryAfterSeconds));
    return response;
  }
});
