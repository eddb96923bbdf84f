import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The one vitest configuration every package uses: the backend is chosen once per test worker by
 * @spredjs/runtime (SPRED_BACKEND pins it), results are also written as JSON for the CI summary.
 */
export const spredTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./packages/runtime/src/vitest-setup.ts', import.meta.url))],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
