import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { overheadSuite } from './overhead.js';

describe('overhead suite', () => {
  it('times plain and spred steps of both models and frees what it made', async () => {
    const before = tf.memory().numTensors;
    const outcome = await overheadSuite.run({ quick: true, log: () => undefined });
    expect(outcome.cases).toHaveLength(2);
    for (const c of outcome.cases) {
      expect(c['plainMs']).toBeGreaterThan(0);
      expect(c['spredMs']).toBeGreaterThan(0);
      expect(c['ratio']).toBeCloseTo((c['spredMs'] as number) / (c['plainMs'] as number), 10);
    }
    expect(outcome.targets?.[0]?.name).toMatch(/≤ 1.3/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
