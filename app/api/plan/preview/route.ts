// POST /api/plan/preview?stack=…&format=…: one stack's customized template as text, for the live preview.
import { defineRoute } from '@/lib/auth/route';
import { byteLength, contentType, serialize, TEMPLATE_BODY_LIMIT } from '@/lib/cfn/serialize';
import { errorResponse } from '@/lib/http/responses';
import { planSchema, renderPlan } from '@/lib/plan';
import { stackQuery } from '@/lib/plan/request';

export const POST = defineRoute({ role: 'viewer', query: stackQuery, body: planSchema }, async ({ query, body: plan }) => {
  const stack = renderPlan(plan).find((s) => s.meta.id === query.stack);
  if (!stack) return errorResponse(404, `The ${query.stack} stack is not part of this plan.`);
  const text = serialize(stack.template, query.format);
  return new Response(text, {
    headers: {
      'Content-Type': contentType(query.format),
      'Cache-Control': 'no-store',
      'X-Template-Bytes': String(byteLength(text)),
      'X-Template-Over-Limit': String(byteLength(text) > TEMPLATE_BODY_LIMIT),
      'X-Template-Resources': String(Object.keys(stack.template.Resources).length),
    },
  });
});
