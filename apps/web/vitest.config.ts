import { defineConfig } from 'vitest/config';

/**
 * Like vitest.shared.ts but without its backend set-up: these tests run tfjs in Chromium, not in
 * the Node worker, so no backend is chosen here.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
