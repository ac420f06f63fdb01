// Test-only stand-in for the `server-only` marker package (vitest runs outside React's server bundler).
export {};
