/** Flags every command accepts. */
export interface GlobalOptions {
  /** Pin a tfjs backend: node-gpu, webgpu, node, wasm or cpu. */
  backend?: string;
}
