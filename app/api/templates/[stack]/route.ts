// GET /api/templates/<stack>?format=yaml|json&release=<line>&<ParamKey>=<value>…: one template with
// the given values as parameter defaults. <stack> is a file stem (unique across release lines) or a
// stack id of the release line (the 2025 line when none is given). 404 for an unknown stack, 400
// with field errors for bad values.
import { z } from 'zod';
import { defineRoute } from '@/lib/auth/route';
import { contentType, serialize } from '@/lib/cfn/serialize';
import { errorResponse } from '@/lib/http/responses';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { ruleKeys } from '@/lib/params/spec';
import { allStacks, isLineId, lineById, stackByStem } from '@/templates';
import { renderTemplate } from '@/templates/stack';

const invalid = (fieldErrors: Record<string, string>) => errorResponse(400, 'Some values are not valid; see the fields.', fieldErrors);

export const GET = defineRoute({ role: 'viewer', params: z.object({ stack: z.string() }) }, async ({ params }, { request }) => {
  const query = new URL(request.url).searchParams;
  const release = query.get('release') ?? '2025';
  if (!isLineId(release)) return invalid({ release: 'Choose a release line from the list.' });
  const stack = stackByStem(params.stack) ?? lineById(release).stacks.find((s) => s.id === params.stack);
  if (!stack) return errorResponse(404, `No stack named ${params.stack}. Known: ${allStacks().map((s) => s.stem).join(', ')}.`);

  const format = query.get('format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') return invalid({ format: 'format must be yaml or json.' });

  const values = new Map<string, string>();
  const errors = new Map<string, string>();
  for (const [key, value] of query) {
    if (key === 'format' || key === 'release') continue;
    const spec = stack.parameters.find((s) => s.key === key);
    if (spec?.noEcho) errors.set(key, `${spec.label} is secret (NoEcho) and cannot be passed in a URL.`);
    else if (values.has(key)) errors.set(key, `${key} is given more than once.`);
    else values.set(key, value);
  }
  // Only the given keys are checked; the others keep the template's defaults.
  const given = stack.parameters.filter((s) => values.has(s.key) || s.default !== undefined);
  const keys = given.map((s) => s.key);
  const rules = stack.rules.filter((r) => ruleKeys(r).every((key) => keys.includes(key)));
  const result = await toZodSchema(given, rules).safeParseAsync(Object.fromEntries(values));
  const fieldErrors = { ...(result.success ? {} : toFieldErrors(result.error)), ...Object.fromEntries(errors) };
  if (Object.keys(fieldErrors).length > 0) return invalid(fieldErrors);

  const text = serialize(renderTemplate(stack, Object.fromEntries(values)), format);
  return new Response(text, {
    headers: { 'Content-Type': contentType(format), 'Content-Disposition': `inline; filename="${stack.stem}.${format}"`, 'Cache-Control': 'no-store' },
  });
});
