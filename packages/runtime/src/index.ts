export { initBackend, formatBackendChoice } from './init-backend.js';
export type { BackendChoice, InitBackendOptions, SkippedBackend } from './init-backend.js';
export { BACKEND_IDS, BACKEND_CANDIDATES, parseBackendId } from './backend-candidates.js';
export type { BackendId, BackendCandidate } from './backend-candidates.js';
export { SpredBackendError } from './errors.js';
export { registerWasmKernels } from './wasm-kernels/register-wasm-kernels.js';
export { registerCpuKernels } from './cpu-kernels/register-cpu-kernels.js';
export { ADAM_UPDATE_KERNEL } from './wasm-kernels/adam-update.js';
export type { AdamUpdateAttrs } from './wasm-kernels/adam-update.js';
