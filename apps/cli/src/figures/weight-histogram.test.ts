import { describe, expect, it } from 'vitest';
import { weightHistogram, weightHistogramChart } from './weight-histogram.js';

describe('weightHistogram', () => {
  it('bins every series alike, symmetric about 0 with a bin centred on it', () => {
    const h = weightHistogram('dense_Dense1', { a: [0, 0, 0, 1e-3, -1], b: [0.5, -0.5, 1] }, 5);
    expect(h.binWidth).toBeCloseTo(0.4);
    const counts = (series: string) =>
      h.rows.filter((r) => r.series === series).map((r) => r.count);
    expect(h.rows.filter((r) => r.series === 'a').map((r) => r.center)).toEqual(
      [-0.8, -0.4, 0, 0.4, 0.8].map((c) => expect.closeTo(c, 12) as number),
    );
    expect(counts('a')).toEqual([1, 0, 4, 0, 0]);
    expect(counts('b')).toEqual([0, 1, 0, 1, 1]);
    expect(h.rows.find((r) => r.series === 'a' && r.center === 0)?.count).toBe(4);
  });

  it('draws counts on a symlog axis, so empty bins do not break it', () => {
    const spec = weightHistogramChart('t', weightHistogram('l', { a: [0] })) as {
      encoding: { y: { scale: { type: string } } };
    };
    expect(spec.encoding.y.scale.type).toBe('symlog');
  });
});
