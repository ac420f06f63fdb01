// GET /api/templates/<stack>?format=yaml|json&<ParamKey>=<value>…: one template with the given
// values as parameter defaults. 404 for an unknown stack, 400 with field errors for bad values.
import { contentType, serialize } from '@/lib/cfn/serialize';
import { errorResponse, invalid } from '@/lib/http/responses';
import { toFieldErrors, toZodSchema } from '@/lib/params/schema';
import { stackByStem, STACKS } from '@/templates';
import { renderTemplate } from '@/templates/stack';

export async function GET(request: Request, { params }: { params: Promise<{ stack: string }> }) {
  const { stack: name } = await params;
  const stack = stackByStem(name) ?? STACKS.find((s) => s.id === name);
  if (!stack) return errorResponse(404, `No stack named ${name}. Known: ${STACKS.map((s) => s.stem).join(', ')}.`);

  const query = new URL(request.url).searchParams;
  const format = query.get('format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') return invalid({ format: 'format must be yaml or json.' });

  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [key, value] of query) {
    if (key === 'format') continue;
    const spec = stack.parameters.find((s) => s.key === key);
    if (spec?.noEcho) errors[key] = `${spec.label} is secret (NoEcho) and cannot be passed in a URL.`;
    else if (key in values) errors[key] = `${key} is given more than once.`;
    else values[key] = value;
  }
  // Only the given keys are checked; the others keep the template's defaults.
  const given = stack.parameters.filter((s) => s.key in values || s.default !== undefined);
  const keys = given.map((s) => s.key);
  const rules = stack.rules.filter((r) => keys.includes(r.when.key) && keys.includes(r.then.key));
  const result = await toZodSchema(given, rules).safeParseAsync(values);
  if (!result.success) Object.assign(errors, toFieldErrors(result.error));
  if (Object.keys(errors).length > 0) return invalid(errors);

  const text = serialize(renderTemplate(stack, values), format);
  return new Response(text, {
    headers: {
      'Content-Type': contentType(format),
      'Content-Disposition': `inline; filename="${stack.stem}.${format}"`,
      'Cache-Control': 'no-store',
    },
  });
}
