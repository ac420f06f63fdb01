// POST /api/plan/template?stack=…&format=…: one stack's customized template as a download.
import { defineRoute } from '@/lib/auth/route';
import { contentType, serialize } from '@/lib/cfn/serialize';
import { attachment, errorResponse } from '@/lib/http/responses';
import { renderPlan, serverPlanSchema } from '@/lib/plan';
import { stackQuery } from '@/lib/plan/request';

export const POST = defineRoute({ role: 'viewer', query: stackQuery, body: serverPlanSchema }, async ({ query, body: plan }) => {
  const stack = renderPlan(plan).find((s) => s.meta.id === query.stack);
  if (!stack) return errorResponse(404, `The ${query.stack} stack is not part of this plan.`);
  return attachment(serialize(stack.template, query.format), `${stack.meta.stem}.${query.format}`, contentType(query.format));
});
