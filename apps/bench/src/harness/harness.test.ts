import { describe, expect, it } from 'vitest';
import { formatTable } from './report.js';
import { median, timeInterleaved } from './timing.js';

describe('bench harness', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('runs both step functions the same number of times, interleaved', async () => {
    const calls: string[] = [];
    const result = await timeInterleaved(
      async () => void calls.push('a'),
      async () => void calls.push('b'),
      { warmup: 1, blocks: 2, stepsPerBlock: 3 },
    );
    expect(calls.join('')).toBe('ab' + 'aaabbb' + 'aaabbb');
    expect(result.aMs).toBeGreaterThanOrEqual(0);
    expect(result.bMs).toBeGreaterThanOrEqual(0);
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
