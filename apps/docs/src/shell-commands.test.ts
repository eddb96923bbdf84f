import { describe, expect, it } from 'vitest';
import { codeBlocks } from './markdown-blocks.js';
import { flagsOf, ownCommands, shellCommands } from './shell-commands.js';

describe('reading the commands of a shell block', () => {
  it('splits as sh does: continuations, comments, quotes, && and leading assignments', () => {
    const script = [
      'npm i -g pnpm@10 && pnpm install && pnpm demo   # set up',
      "SPRED_BACKEND=cpu pnpm spred select-genes --label 'disease state' \\",
      '  --classes "B=B|B1,T=T1" --out genes/',
      'pnpm bench overhead [--quick] [--out DIR]',
    ].join('\n');
    expect(shellCommands(script).map((c) => c.words)).toEqual([
      ['npm', 'i', '-g', 'pnpm@10'],
      ['pnpm', 'install'],
      ['pnpm', 'demo'],
      [
        'pnpm',
        'spred',
        'select-genes',
        '--label',
        'disease state',
        '--classes',
        'B=B|B1,T=T1',
        '--out',
        'genes/',
      ],
      ['pnpm', 'bench', 'overhead', '[--quick]', '[--out', 'DIR]'],
    ]);
    const own = ownCommands(script);
    expect(own.map((c) => [c.program, ...c.args])).toEqual([
      ['spred', 'lasso-demo'],
      [
        'spred',
        'select-genes',
        '--label',
        'disease state',
        '--classes',
        'B=B|B1,T=T1',
        '--out',
        'genes/',
      ],
      ['bench', 'overhead', '--quick', '--out', 'DIR'],
    ]);
    expect(flagsOf(['--out=x', '-s', '--label', 'v'])).toEqual(['--out', '--label']);
    expect(() => shellCommands("spred lasso --x 'open")).toThrow(/unclosed ' in/);
  });

  it('finds fenced blocks with their language and line, and refuses an unclosed one', () => {
    const md = [
      '# t',
      '```ts',
      'const a = 1;',
      '```',
      '',
      '~~~sh no-run',
      'spred info',
      '~~~',
    ].join('\n');
    expect(codeBlocks(md, 'x.md')).toEqual([
      { file: 'x.md', line: 2, language: 'ts', flags: [], code: 'const a = 1;' },
      { file: 'x.md', line: 6, language: 'sh', flags: ['no-run'], code: 'spred info' },
    ]);
    expect(() => codeBlocks('text\n```ts\nopen', 'y.md')).toThrow(
      /y.md:2: the code block opened here is never closed/,
    );
  });
});
