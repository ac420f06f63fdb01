// The plan routes' query: the stack and the format. Their body is the plan itself, checked with
// planSchema or serverPlanSchema (lib/plan/index.ts), so field errors match the form's fields.
import 'server-only';
import { z } from 'zod';
import { isStackId } from '@/templates';

export const formatQuery = z.object({ format: z.enum(['yaml', 'json'], { error: 'format must be yaml or json.' }).default('yaml') });
/** A stack id of some release line; whether the plan's line has it, the route says (404). */
export const stackQuery = formatQuery.extend({
  stack: z.string({ error: 'Unknown stack.' }).refine(isStackId, 'Unknown stack.'),
});
