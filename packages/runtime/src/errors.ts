/**
 * Raised when a backend that was asked for by name (`--backend`, `SPRED_BACKEND`) cannot be loaded,
 * or when the name is not one spred knows. The message says what was asked and why it failed.
 *
 * @example
 * ```ts
 * try { await initBackend({ backend: 'node-gpu' }); }
 * catch (e) { if (e instanceof SpredBackendError) console.error(e.message); }
 * ```
 */
export class SpredBackendError extends Error {
  override readonly name = 'SpredBackendError';
}
