import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'connectors/**/*.test.ts', 'indexes/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/corpus/**', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { LANCEDB_LOG: 'error' },
  },
});
