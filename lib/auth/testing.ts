// Test helper: stands in for next/headers, so actions and handlers can be called in unit tests as
// a given caller. Use with vi.mock('next/headers', () => fakeNextHeaders).
import { SESSION_COOKIE } from './sessions';

let current = { headers: new Headers(), token: undefined as string | undefined };

export function actAs(token: string | undefined, headers: Record<string, string> = {}): void {
  current = { headers: new Headers(headers), token };
}

export const fakeNextHeaders = {
  headers: async () => current.headers,
  cookies: async () => ({
    get: (name: string) => (name === SESSION_COOKIE && current.token ? { name, value: current.token } : undefined),
  }),
};
