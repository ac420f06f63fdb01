// Fetches a release line's plan-form data (GET /api/plan/lines/<id>) for the line cache (line-cache.ts).
import type { LoadedLine } from '@/lib/plan';
import type { LineId } from '@/templates/stack';
import { UNREACHABLE } from './line-cache';

/** The line, or an error that says in words for the page why it could not be loaded. */
export async function fetchLine(id: LineId): Promise<LoadedLine> {
  let response: Response;
  try {
    response = await fetch(`/api/plan/lines/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } });
  } catch {
    throw new Error(UNREACHABLE);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    throw new Error(typeof body.error === 'string' ? body.error : `The console answered ${response.status}.`);
  }
  return (await response.json()) as LoadedLine;
}

