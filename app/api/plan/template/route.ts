// POST /api/plan/template: one stack's customized template as a download.
import { contentType, serialize } from '@/lib/cfn/serialize';
import { attachment, errorResponse, handle } from '@/lib/http/responses';
import { renderPlan } from '@/lib/plan';
import { readPlanRequest } from '@/lib/plan/request';

export async function POST(request: Request) {
  return handle(async () => {
    const { plan, stack: id, format } = await readPlanRequest(request, { needsStack: true, account: true });
    const stack = renderPlan(plan).find((s) => s.meta.id === id);
    if (!stack) return errorResponse(404, `The ${id} stack is not part of this plan.`);
    return attachment(serialize(stack.template, format), `${stack.meta.stem}.${format}`, contentType(format));
  });
}
