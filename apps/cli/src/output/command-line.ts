let current: readonly string[] = process.argv.slice(2);

/** Records the arguments the CLI was run with (`runCli` does, before any command). */
export function recordCommandLine(argv: readonly string[]): void {
  current = [...argv];
}

/** The arguments of this run, after `spred`: what `result.json` records as its command. */
export function commandLine(): readonly string[] {
  return current;
}
