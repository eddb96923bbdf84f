/** Flags every command accepts. */
export interface GlobalOptions {
  /** Pin a tfjs backend: node-gpu, node, wasm or cpu. */
  backend?: string;
}
