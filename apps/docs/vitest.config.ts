import { defineConfig } from 'vitest/config';

/**
 * Like vitest.shared.ts but without its backend set-up: the examples run as programs in child
 * processes, each choosing its own backend as a user's program does.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
