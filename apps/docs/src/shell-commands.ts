/** A command of spred's own in a shell block: which program, and its arguments. */
export interface OwnCommand {
  readonly program: 'spred' | 'bench';
  readonly args: readonly string[];
  /** The command as written, for messages. */
  readonly text: string;
}

/**
 * Splits a shell script into words per command, as sh would: backslash-newline joins lines,
 * `#` starts a comment outside quotes, single and double quotes group words, `&&`, `||`, `;`
 * and `|` separate commands, and leading `NAME=value` assignments are dropped.
 */
export function shellCommands(script: string): { words: string[]; text: string }[] {
  const joined = script.replace(/\\\n/g, ' ');
  const commands: { words: string[]; text: string }[] = [];
  for (const line of joined.split('\n')) {
    let words: string[] = [];
    let word: string | undefined;
    let quote: string | undefined;
    let start = 0;
    const flush = (end: number) => {
      if (word !== undefined) words.push(word);
      word = undefined;
      while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] as string))
        words = words.slice(1);
      if (words.length > 0) commands.push({ words, text: line.slice(start, end).trim() });
      words = [];
    };
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (quote !== undefined) {
        if (c === quote) quote = undefined;
        else word = (word ?? '') + c;
      } else if (c === "'" || c === '"') {
        quote = c;
        word = word ?? '';
      } else if (c === '#' && word === undefined) {
        break;
      } else if (/\s/.test(c)) {
        if (word !== undefined) words.push(word);
        word = undefined;
      } else if (c === '&' || c === '|' || c === ';') {
        if (word !== undefined) words.push(word);
        word = undefined;
        const doubled = line[i + 1] === c;
        flush(i);
        if (doubled) i++;
        start = i + 1;
      } else word = (word ?? '') + c;
    }
    if (quote !== undefined) throw new Error(`unclosed ${quote} in: ${line}`);
    flush(line.length);
  }
  return commands;
}

/**
 * The commands of a shell script that run spred's own programs (`pnpm spred …`, `pnpm -s spred
 * …`, `pnpm exec spred …`, `spred …`, `pnpm demo …`, `pnpm bench …`), with their arguments;
 * every other command (npm, pnpm install, pnpm test, …) is not ours to check. `[--flag value]`,
 * the usual notation for an optional flag, counts as the flag and its value.
 */
export function ownCommands(script: string): OwnCommand[] {
  const own: OwnCommand[] = [];
  for (const { words, text } of shellCommands(script)) {
    const w = words.map((x) => x.replace(/^\[/, '').replace(/\]$/, ''));
    const afterPnpm =
      w[0] === 'pnpm'
        ? w.slice(1).filter((x, i) => !(i === 0 && (x === '-s' || x === 'exec')))
        : undefined;
    if (afterPnpm?.[0] === 'spred') own.push({ program: 'spred', args: afterPnpm.slice(1), text });
    else if (afterPnpm?.[0] === 'demo')
      own.push({ program: 'spred', args: ['lasso-demo', ...afterPnpm.slice(1)], text });
    else if (afterPnpm?.[0] === 'bench')
      own.push({ program: 'bench', args: afterPnpm.slice(1), text });
    else if (w[0] === 'spred') own.push({ program: 'spred', args: w.slice(1), text });
  }
  return own;
}

/** The `--flag` names among the arguments (`--out=dir` names `--out`). */
export function flagsOf(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0] as string);
}
