import { describe, expect, it } from 'vitest';
import { objectiveVsSecondsChart } from './objective-vs-seconds.js';
import { renderVegaLiteSvg } from './render-svg.js';
import { timeVsSizeChart } from './time-vs-size.js';

describe("the bench's faceted line charts", () => {
  it('draw one panel per facet with log or zero-free axes, and render to SVG', async () => {
    const time = timeVsSizeChart([
      { entries: 2e5, seconds: 1.2, solver: 'spred', alpha: '0.1·α_max' },
      { entries: 5e6, seconds: 3.4, solver: 'spred', alpha: '0.1·α_max' },
    ]) as unknown as Record<string, unknown>;
    expect(time['facet']).toEqual({ column: { field: 'alpha', type: 'nominal', title: 'α' } });
    expect(JSON.stringify(time)).toContain(
      '"scale":{"type":"log"},"title":"n · d","axis":{"format":"~s"}',
    );
    expect(time['resolve']).toBeUndefined();
    const objective = objectiveVsSecondsChart([
      { seconds: 30, objective: 41.2, method: 'spred', atoms: 'k = 64' },
      { seconds: 120, objective: 40.1, method: 'spred', atoms: 'k = 64' },
    ]) as unknown as Record<string, unknown>;
    expect(objective['resolve']).toEqual({ scale: { y: 'independent' } });
    expect(JSON.stringify(objective)).toContain(
      '"field":"objective","type":"quantitative","scale":{"zero":false}',
    );
    const svg = await renderVegaLiteSvg(
      objectiveVsSecondsChart([{ seconds: 30, objective: 41.2, method: 'spred', atoms: 'k = 64' }]),
    );
    expect(svg).toMatch(/^<svg/);
  });
});
