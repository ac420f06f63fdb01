// POST /api/plan/preview: one stack's customized template as text, for the live preview.
import { byteLength, contentType, serialize, TEMPLATE_BODY_LIMIT } from '@/lib/cfn/serialize';
import { errorResponse, handle } from '@/lib/http/responses';
import { renderPlan } from '@/lib/plan';
import { readPlanRequest } from '@/lib/plan/request';

export async function POST(request: Request) {
  return handle(async () => {
    const { plan, stack: id, format } = await readPlanRequest(request, { needsStack: true });
    const stack = renderPlan(plan).find((s) => s.meta.id === id);
    if (!stack) return errorResponse(404, `The ${id} stack is not part of this plan.`);
    const text = serialize(stack.template, format);
    return new Response(text, {
      headers: {
        'Content-Type': contentType(format),
        'Cache-Control': 'no-store',
        'X-Template-Bytes': String(byteLength(text)),
        'X-Template-Over-Limit': String(byteLength(text) > TEMPLATE_BODY_LIMIT),
        'X-Template-Resources': String(Object.keys(stack.template.Resources).length),
      },
    });
  });
}
