import { defineProject } from 'vitest/config';

// Tests drive real processes (git, Codex, servers): generous timeouts, no wall-clock assertions.
export default defineProject({
  test: {
    name: 'server',
    testTimeout: 60_000,
    hookTimeout: 90_000,
    globalSetup: ['./src/test/build-server.ts'],
  },
});
