// The plan routes' query: the stack and the format. Their body is the plan itself, checked with
// planSchema or serverPlanSchema (lib/plan/index.ts), so field errors match the form's fields.
import 'server-only';
import { z } from 'zod';
import { STACK_IDS } from '@/templates/stack';

export const formatQuery = z.object({ format: z.enum(['yaml', 'json'], { error: 'format must be yaml or json.' }).default('yaml') });
export const stackQuery = formatQuery.extend({ stack: z.enum(STACK_IDS, { error: 'Unknown stack.' }) });
