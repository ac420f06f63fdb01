// GET /templates/lakerunner-<stack>.yaml|.json: the default templates at stable URLs, including
// the alias names of the original README. Public: they hold no user data.
import { contentType, serialize } from '@/lib/cfn/serialize';
import { stackByStem } from '@/templates';
import { renderTemplate } from '@/templates/stack';

export const dynamic = 'force-static';

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const match = /^(?<stem>[a-z0-9-]+)\.(?<ext>yaml|yml|json)$/.exec(file);
  const stack = match?.groups?.stem ? stackByStem(match.groups.stem) : undefined;
  if (!match?.groups || !stack) {
    return Response.json({ error: `No template named ${file}. Try lakerunner-common.yaml.` }, { status: 404 });
  }
  const format = match.groups.ext === 'json' ? 'json' : 'yaml';
  return new Response(serialize(renderTemplate(stack), format), {
    headers: {
      'Content-Type': contentType(format),
      'Content-Disposition': `inline; filename="${file}"`,
      'Cache-Control': 'public, max-age=300',
    },
  });
}
