// An AWS endpoint without Service Quotas, as some emulators and proxies are: an HTTP proxy that
// forwards every AWS call to a sandbox, except Service Quotas' (JSON, x-amz-target
// ServiceQuotasV20190624.*), which it answers with an HTML "404 Not Found" page. The Host header
// goes through as the client signed it, so the sandbox still verifies the signature.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export const NOT_FOUND_PAGE = '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n';

export interface PartialEndpoint {
  url: string;
  /** Service Quotas calls answered with the page so far. */
  refused(): number;
  close(): Promise<void>;
}

export async function endpointWithoutServiceQuotas(sandboxEndpoint: string): Promise<PartialEndpoint> {
  const target = new URL(sandboxEndpoint);
  let refused = 0;
  const server = createServer((incoming, outgoing) => {
    if (String(incoming.headers['x-amz-target'] ?? '').startsWith('ServiceQuotasV20190624.')) {
      refused += 1;
      incoming.resume();
      outgoing.writeHead(404, { 'Content-Type': 'text/html; charset=iso-8859-1' });
      return outgoing.end(NOT_FOUND_PAGE);
    }
    const upstream = request({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => refused,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
