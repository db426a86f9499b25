import { defineConfig } from 'vitest/config';

// `npx vitest` at the root runs every package's tests; CI runs them per package through turbo.
export default defineConfig({ test: { projects: ['apps/*', 'packages/*'] } });
