import { defineConfig } from 'vitest/config';

// The real-world corpus suite (test/corpus): third-party files read from ../shared/corpora,
// kept out of `npm test` because that folder is not part of the project.
export default defineConfig({
  test: {
    include: ['test/corpus/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { LANCEDB_LOG: 'error' },
  },
});
