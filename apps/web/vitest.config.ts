import { defineProject } from 'vitest/config';

// The browser tests start a real server, Codex runs and Chromium: generous timeouts.
export default defineProject({
  test: {
    name: 'web',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    include: ['e2e/**/*.test.ts', 'src/**/*.test.ts'],
    // The browser tests start the server as `npm start` does, from a bundle of today's sources.
    globalSetup: ['../server/src/test/build-server.ts'],
  },
});
