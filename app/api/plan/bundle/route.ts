// POST /api/plan/bundle?format=…: the zip with every template, parameters file, deploy.sh and README.
import { defineRoute } from '@/lib/auth/route';
import { attachment } from '@/lib/http/responses';
import { buildBundle } from '@/lib/plan/bundle';
import { forDownload, serverPlanSchema } from '@/lib/plan';
import { formatQuery } from '@/lib/plan/request';

export const POST = defineRoute({ role: 'viewer', query: formatQuery, body: serverPlanSchema }, async ({ query, body: plan }) => {
  const bundle = buildBundle(forDownload(plan), query.format);
  return attachment(bundle.bytes, bundle.fileName, 'application/zip');
});
