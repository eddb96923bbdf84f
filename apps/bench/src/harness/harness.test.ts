import { describe, expect, it, vi } from 'vitest';
import { formatTable } from './report.js';
import { median, timeInterleaved } from './timing.js';

describe('bench harness', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('runs both step functions the same number of times, interleaved, and reports ms per step', async () => {
    // A fake clock: each a-step takes 2 ms, each b-step 5 ms (the third block's b-steps 50 ms, an
    // outlier the median ignores). Nothing here depends on the machine's speed.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    const calls: string[] = [];
    try {
      const result = await timeInterleaved(
        async () => {
          calls.push('a');
          now += 2;
        },
        async () => {
          calls.push('b');
          now += calls.length >= 18 ? 50 : 5; // calls 18–20: the third block's b-steps
        },
        { warmup: 1, blocks: 3, stepsPerBlock: 3 },
      );
      expect(calls.join('')).toBe('ab' + 'aaabbb' + 'aaabbb' + 'aaabbb');
      expect(result).toEqual({ aMs: 2, bMs: 5 });
    } finally {
      clock.mockRestore();
    }
  });

  it('prints aligned columns with numbers to four significant digits', () => {
    const table = formatTable(
      [
        { name: 'mlp', ratio: 1.23456, steps: 10 },
        { name: 'conv', ratio: 0.5, steps: 2 },
      ],
      ['name', 'ratio', 'steps'],
    );
    expect(table.split('\n')).toEqual([
      'name  ratio   steps',
      '----  ------  -----',
      'mlp   1.235   10',
      'conv  0.5000  2',
    ]);
  });
});
