// A stand-in identity provider for the fuzz tests: only its discovery document, on a loopback port,
// so the OpenID Connect routes run their real code up to the library's checks of the answer (a
// hostile callback never gets as far as the token endpoint).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resetEnvForTests } from '@/lib/env';
import { forgetProviderForTests } from '@/lib/auth/oidc/provider';

export interface FakeIssuer {
  readonly issuer: string;
  close(): Promise<void>;
}

/** Serves the discovery document and points the console's CONSOLE_OIDC_* settings at it. */
export async function startFakeIssuer(consoleUrl: string): Promise<FakeIssuer> {
  let issuer = '';
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/openid-configuration') return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/session/end`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      }),
    );
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { CONSOLE_PUBLIC_URL: consoleUrl, CONSOLE_OIDC_ISSUER: issuer, CONSOLE_OIDC_CLIENT_ID: 'console', CONSOLE_OIDC_CLIENT_SECRET: 'fuzz secret' });
  resetEnvForTests();
  forgetProviderForTests();
  return {
    issuer,
    close: async () => {
      for (const key of ['CONSOLE_PUBLIC_URL', 'CONSOLE_OIDC_ISSUER', 'CONSOLE_OIDC_CLIENT_ID', 'CONSOLE_OIDC_CLIENT_SECRET']) delete process.env[key];
      resetEnvForTests();
      forgetProviderForTests();
      await new Promise((closed) => server.close(closed));
    },
  };
}
