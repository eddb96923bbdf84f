import { describe, expect, it } from 'vitest';
import { parseBackendId } from './backend-candidates.js';

describe('parseBackendId', () => {
  it('accepts the spred ids and the names tfjs users know', () => {
    expect(parseBackendId('wasm')).toBe('wasm');
    expect(parseBackendId(' CPU ')).toBe('cpu');
    expect(parseBackendId('tensorflow')).toBe('node');
    expect(parseBackendId('tfjs-node-gpu')).toBe('node-gpu');
  });

  it('names the valid choices when the name is unknown', () => {
    expect(() => parseBackendId('webgl')).toThrow(
      /unknown backend 'webgl': expected one of node-gpu, webgpu, node, wasm, cpu/,
    );
  });
});
