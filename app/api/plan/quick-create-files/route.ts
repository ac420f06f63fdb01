// POST /api/plan/quick-create-files: the templates under the exact S3 keys the quick-create
// links point to, zipped for upload.
import { attachment, errorResponse, handle } from '@/lib/http/responses';
import { buildQuickCreateFiles } from '@/lib/plan/bundle';
import { readPlanRequest } from '@/lib/plan/request';

export async function POST(request: Request) {
  return handle(async () => {
    const { plan } = await readPlanRequest(request, { account: true });
    const files = buildQuickCreateFiles(plan);
    if (!files) return errorResponse(400, 'Set the template base URL first.', { templateBaseUrl: 'Set the template base URL to get the files to publish.' });
    return attachment(files.bytes, files.fileName, 'application/zip');
  });
}
