// Parses the body of the plan routes: `{ plan, stack?, format? }`, re-validating the plan with
// the same schema the form uses. Field errors come back keyed like the form's fields.
import 'server-only';
import type { TemplateFormat } from '@/lib/cfn/serialize';
import { readJsonBody, RequestError } from '@/lib/http/responses';
import type { Plan } from '@/lib/params/plan';
import { STACK_IDS, type StackId } from '@/templates/stack';
import { parsePlan } from './index';

export interface PlanRequest {
  plan: Plan;
  stack?: StackId;
  format: TemplateFormat;
}

export async function readPlanRequest(request: Request, options: { needsStack?: boolean; account?: boolean } = {}): Promise<PlanRequest> {
  const body = await readJsonBody(request);
  const format = body.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new RequestError(400, 'format must be yaml or json.', { format: 'Choose YAML or JSON.' });
  let stack: StackId | undefined;
  if (options.needsStack) {
    if (typeof body.stack !== 'string' || !(STACK_IDS as readonly string[]).includes(body.stack))
      throw new RequestError(404, `Unknown stack ${JSON.stringify(body.stack)}.`);
    stack = body.stack as StackId;
  }
  const parsed = await parsePlan(body.plan, { account: options.account });
  if (!parsed.ok) throw new RequestError(400, 'Some values are not valid; see the fields.', parsed.fieldErrors);
  return { plan: parsed.plan, stack, format };
}
