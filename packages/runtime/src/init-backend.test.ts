import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { formatBackendChoice, initBackend } from './init-backend.js';
import { SpredBackendError } from './errors.js';

describe('initBackend', () => {
  it('chooses a working backend with gradients registered, and says why faster ones were skipped', async () => {
    const choice = await initBackend({ env: {} });
    expect(tf.getBackend()).toBe(choice.tfjsName);
    // Every backend before the chosen one in the preference order is accounted for.
    const order = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'];
    expect(choice.skipped.map((s) => s.id)).toEqual(order.slice(0, order.indexOf(choice.id)));
    for (const s of choice.skipped) expect(s.reason.length).toBeGreaterThan(10);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2]));
    expect(Array.from(await g.data())).toEqual([2, -4]);
    expect(formatBackendChoice(choice)).toMatch(/^backend: /);
  });

  it('pins a backend through SPRED_BACKEND and through the option, the option winning', async () => {
    const fromEnv = await initBackend({ env: { SPRED_BACKEND: 'cpu' } });
    expect(fromEnv.id).toBe('cpu');
    expect(fromEnv.pinnedBy).toBe('SPRED_BACKEND');
    expect(tf.getBackend()).toBe('cpu');
    const fromOption = await initBackend({ backend: 'wasm', env: { SPRED_BACKEND: 'cpu' } });
    expect(fromOption.id).toBe('wasm');
    expect(fromOption.pinnedBy).toBe('option');
    expect(fromOption.details['simd']).toBeTypeOf('boolean');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('fails clearly on an unknown name, naming where it came from', async () => {
    await expect(initBackend({ env: { SPRED_BACKEND: 'webgl' } })).rejects.toThrow(
      /SPRED_BACKEND: unknown backend 'webgl'/,
    );
    await expect(initBackend({ backend: 'metal', env: {} })).rejects.toBeInstanceOf(
      SpredBackendError,
    );
  });

  it('does not fall back when a pinned backend cannot load', async (ctx) => {
    let native = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      native = false;
    }
    // A machine with libtensorflow installed cannot show this failure: reported as skipped.
    if (native) ctx.skip();
    await expect(initBackend({ backend: 'node', env: {} })).rejects.toThrow(
      /backend 'node' was asked for but cannot be used: @tensorflow\/tfjs-node is not installed/,
    );
  });
});
