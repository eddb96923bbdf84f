import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the committed SIMD modules', () => {
  it('are the compiled .wat sources (scripts/build-wasm-kernels.mjs --check)', () => {
    const script = fileURLToPath(
      new URL('../../../scripts/build-wasm-kernels.mjs', import.meta.url),
    );
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
