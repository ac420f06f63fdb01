// POST /api/plan/quick-create-files: the templates under the exact S3 keys the quick-create
// links point to, zipped for upload.
import { defineRoute } from '@/lib/auth/route';
import { attachment, errorResponse } from '@/lib/http/responses';
import { buildQuickCreateFiles } from '@/lib/plan/bundle';
import { serverPlanSchema } from '@/lib/plan';

export const POST = defineRoute({ role: 'viewer', body: serverPlanSchema }, async ({ body: plan }) => {
  const files = buildQuickCreateFiles(plan);
  if (!files) return errorResponse(400, 'Set the template base URL first.', { templateBaseUrl: 'Set the template base URL to get the files to publish.' });
  return attachment(files.bytes, files.fileName, 'application/zip');
});
