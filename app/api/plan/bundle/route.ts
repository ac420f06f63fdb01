// POST /api/plan/bundle: the zip with every template, parameters file, deploy.sh and README.
import { attachment, handle } from '@/lib/http/responses';
import { buildBundle } from '@/lib/plan/bundle';
import { readPlanRequest } from '@/lib/plan/request';

export async function POST(request: Request) {
  return handle(async () => {
    const { plan, format } = await readPlanRequest(request, { account: true });
    const bundle = buildBundle(plan, format);
    return attachment(bundle.bytes, bundle.fileName, 'application/zip');
  });
}
