// The plan routes' inputs: the plan itself as the JSON body (so field errors are keyed exactly
// like the form's fields) and the stack and format in the query.
import 'server-only';
import { z } from 'zod';
import { STACK_IDS } from '@/templates/stack';
import { planSchema, serverPlanSchema } from './index';

export const formatQuery = z.object({ format: z.enum(['yaml', 'json'], { error: 'format must be yaml or json.' }).default('yaml') });
export const stackQuery = formatQuery.extend({ stack: z.enum(STACK_IDS, { error: 'Unknown stack.' }) });

/** The plan as the form checks it. */
export const planBody = planSchema;
/** The plan as the form checks it, and against the connected account (see account-checks.ts). */
export const checkedPlanBody = serverPlanSchema;
