// Test set-up shared by every package: one backend per worker, chosen like the apps do
// (SPRED_BACKEND pins one), so the same suite can run on cpu, wasm or native.
import { initBackend } from './init-backend.js';

await initBackend();
