// Response helpers for route handlers that send files or a plain error. Input parsing and
// access checks live in defineRoute (lib/auth/route.ts).

export const errorResponse = (status: number, error: string, fieldErrors?: Record<string, string>) =>
  Response.json(fieldErrors ? { error, fieldErrors } : { error }, { status, headers: { 'Cache-Control': 'no-store' } });

export function attachment(bytes: Uint8Array | string, fileName: string, contentType: string): Response {
  const body = typeof bytes === 'string' ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]);
  return new Response(body, {
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    },
  });
}
