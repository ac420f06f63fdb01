// Next runs this before every request, static files included (Node.js runtime): it sets the
// security headers and enforces lib/auth/policy.ts's ROUTE_POLICY. The logic is in lib/auth/guard.ts.
import type { NextRequest } from 'next/server';
import { guard } from '@/lib/auth/guard';

export function proxy(request: NextRequest): Promise<Response> {
  return guard(request);
}
