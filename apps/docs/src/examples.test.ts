import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { documentationBlocks, type CodeBlock } from './markdown-blocks.js';
import { flagsOf, ownCommands } from './shell-commands.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the programs are written: inside this package, so that they resolve its dependencies. */
const examples = fileURLToPath(new URL('../.examples/', import.meta.url));
const PROGRAMS = {
  spred: join(root, 'apps/cli/bin/spred.js'),
  bench: join(root, 'apps/bench/dist/main.js'),
} as const;
const LANGUAGES = ['ts', 'sh', 'text', 'json'];

const blocks = documentationBlocks(root);
const where = (b: CodeBlock) => `${b.file}:${b.line}`;
const programs = blocks.filter((b) => b.language === 'ts');
const scripts = blocks.filter((b) => b.language === 'sh');

/** `node program args…`, from the repository root, as the docs' commands run. */
function node(args: readonly string[], timeout: number) {
  return spawnSync(process.execPath, [...args], {
    cwd: root,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** The help text of a spred or bench command, with the root's (global options) after it. */
function helpOf(program: keyof typeof PROGRAMS, args: readonly string[]) {
  const own = node([PROGRAMS[program], ...args, '--help'], 60_000);
  const global = node([PROGRAMS[program], '--help'], 60_000);
  return { status: own.status, stderr: own.stderr, text: `${own.stdout}\n${global.stdout}` };
}

describe("the documentation's code blocks", () => {
  it('are found, and each says what it is: a program (ts), commands (sh) or text', () => {
    expect(programs.length).toBeGreaterThan(5);
    expect(blocks.filter((b) => !LANGUAGES.includes(b.language)).map(where)).toEqual([]);
  });

  describe('every TypeScript block is a complete program that runs', () => {
    mkdirSync(examples, { recursive: true });
    for (const block of programs)
      it(`${where(block)}`, () => {
        const js = transformSync(block.code, {
          loader: 'ts',
          format: 'esm',
          target: 'node20',
          sourcefile: where(block),
        }).code;
        const file = join(examples, `${block.file.replace(/[/\\.]/g, '_')}-${block.line}.mjs`);
        writeFileSync(file, js);
        const run = node([file], 240_000);
        expect(run.status, `${where(block)} failed:\n${run.stderr}`).toBe(0);
        expect(run.stdout.trim(), `${where(block)} printed nothing`).not.toBe('');
      });
  });

  describe("every shell block's spred and bench commands name a command and flags that exist", () => {
    for (const block of scripts) {
      const commands = ownCommands(block.code);
      // a block of other tools' commands only (npm, pnpm install, pnpm test) is not ours to check
      it.skipIf(commands.length === 0)(`${where(block)}`, () => {
        for (const command of commands) {
          const help = helpOf(command.program, command.args);
          expect(help.status, `${where(block)}: ${command.text}\n${help.stderr}`).toBe(0);
          for (const flag of flagsOf(command.args))
            expect(help.text, `${where(block)}: ${command.text}: no flag ${flag}`).toMatch(
              new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}(?![\\w-])`, 'm'),
            );
          if (command.program === 'bench') {
            const suite = command.args.find((a) => !a.startsWith('-')) ?? '';
            expect(help.text, `${where(block)}: no bench suite '${suite}'`).toMatch(
              new RegExp(`[\\s,:]${suite}[,\\s]`),
            );
          }
        }
      });
    }
  });
});
