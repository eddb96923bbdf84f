import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One fenced code block of a markdown file. */
export interface CodeBlock {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word (`ts`, `sh`, `text`, …); '' when the fence has none. */
  readonly language: string;
  /** The info string's other words (e.g. `no-run`). */
  readonly flags: readonly string[];
  readonly code: string;
}

/**
 * The fenced code blocks (``` or ~~~, three or more) of a markdown text, in order. An unclosed
 * fence is an error naming its line: a block that silently swallowed the rest of the file would
 * hide every block after it.
 */
export function codeBlocks(text: string, file: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,}|~{3,})\s*(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const fence = open[1] as string;
    const [language = '', ...flags] = (open[2] as string).trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as string;
      if (
        line.trim().startsWith(fence[0]!.repeat(fence.length)) &&
        line.trim().replace(/[`~]/g, '') === ''
      )
        break;
      body.push(line);
    }
    if (j === lines.length)
      throw new Error(`${file}:${i + 1}: the code block opened here is never closed`);
    blocks.push({ file, line: i + 1, language, flags, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/**
 * The markdown files whose code blocks are the project's examples: README.md, everything under
 * docs/, and every package's and app's README.md.
 */
export function documentationFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const group of ['packages', 'apps'])
    for (const name of readdirSync(join(root, group)).sort()) {
      const readme = join(group, name, 'README.md');
      try {
        if (statSync(join(root, readme)).isFile()) files.push(readme);
      } catch {
        // a package without a README has no examples
      }
    }
  return files.map((f) => relative(root, join(root, f)));
}

/** Every code block of {@link documentationFiles}. */
export function documentationBlocks(root: string): CodeBlock[] {
  return documentationFiles(root).flatMap((file) =>
    codeBlocks(readFileSync(join(root, file), 'utf8'), file),
  );
}
