import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { climbLadders, type LadderSolver } from './accuracy-ladder.js';

const workDir = mkdtempSync(join(tmpdir(), 'bench-ladder-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A fake solver process whose "answer" is its setting, written to answer.txt after `delay` ms. */
function fake(solver: string, settings: number[], delay = 0): LadderSolver<number> {
  return {
    solver,
    settingName: 'tol',
    settings,
    unavailable: () => undefined,
    spec: (setting, dir) => ({
      command: process.execPath,
      args: [
        '-e',
        `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(join(dir, 'answer.txt'))}, '${setting}'), ${delay})`,
      ],
    }),
    read: (dir) => Number(readFileSync(join(dir, 'answer.txt'), 'utf8')),
  };
}

describe('accuracy ladder', () => {
  it('times each solver at the loosest setting whose answer passes, the same check for all', () => {
    const lines: string[] = [];
    const outcomes = climbLadders([fake('a', [1e-4, 1e-6, 1e-8]), fake('b', [1e-8, 1e-10])], {
      workDir,
      repeats: 2,
      timeoutSeconds: 60,
      passes: (answer) => answer <= 1e-6,
      log: (l) => lines.push(l),
    });
    expect(outcomes.map((o) => [o.solver, o.setting, o.passed])).toEqual([
      ['a', 1e-6, true],
      ['b', 1e-8, true],
    ]);
    expect(outcomes[0]?.tries).toMatch(/^1e-4 fail .* s, 1e-6 pass .* s$/);
    for (const o of outcomes) {
      expect(o.times).toHaveLength(2);
      expect(o.seconds).toBeGreaterThan(0);
    }
  });

  it('reports the tightest setting, not passed, when none passes', () => {
    const [o] = climbLadders([fake('a', [1e-4, 1e-5])], {
      workDir,
      repeats: 1,
      timeoutSeconds: 60,
      passes: () => false,
      log: () => undefined,
    });
    expect(o?.setting).toBe(1e-5);
    expect(o?.passed).toBe(false);
    expect(o?.answer).toBe(1e-5);
  });

  it('stops climbing at a timeout and gives the limit as a lower bound, with no answer', () => {
    const [o] = climbLadders([fake('slow', [1e-4, 1e-6], 5000)], {
      workDir,
      repeats: 3,
      timeoutSeconds: 0.5,
      passes: () => true,
      log: () => undefined,
    });
    expect(o?.timedOut).toBe(true);
    expect(o?.setting).toBe(1e-4);
    expect(o?.seconds).toBe(0.5);
    expect(o?.answer).toBeUndefined();
  });

  it('skips a peer that is not installed and leaves out one whose process fails, saying why', () => {
    const lines: string[] = [];
    const missing = { ...fake('missing', [1]), unavailable: () => 'not installed' };
    const broken = {
      ...fake('broken', [1]),
      spec: () => ({ command: process.execPath, args: ['-e', 'process.exit(3)'] }),
    };
    const outcomes = climbLadders([missing, broken, fake('ok', [1])], {
      workDir,
      repeats: 1,
      timeoutSeconds: 60,
      passes: () => true,
      log: (l) => lines.push(l),
    });
    expect(outcomes.map((o) => o.solver)).toEqual(['ok']);
    expect(lines.some((l) => l.includes('skipping missing: not installed'))).toBe(true);
    expect(lines.some((l) => l.startsWith('broken failed:') && l.includes('exited with 3'))).toBe(
      true,
    );
  });
});
