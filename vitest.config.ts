import { defineConfig } from 'vitest/config';

// Unit, golden and invariant tests live next to the code (*.test.ts);
// browser end-to-end tests are Playwright specs under tests/e2e and are run by `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['contracts/**/*.test.ts', 'src-*/**/*.test.ts', 'tests/unit/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['node_modules/**', 'tests/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Builds the ingest worker bundle when its sources changed (scripts/buildIngestWorker.ts).
    globalSetup: ['scripts/ingestWorkerSetup.ts'],
  },
});
