import type { CliIO } from './cli-io.js';

/** What {@link listenForInterrupt} returns: the signal Ctrl-C trips, and how to stop listening. */
export interface InterruptListener {
  readonly signal: AbortSignal;
  /** Removes the SIGINT handler (call in `finally`). */
  release(): void;
}

/**
 * Turns the first Ctrl-C (SIGINT) into an aborted signal, saying `message` on stderr, so a long
 * command stops at its next check and still writes what it finished.
 */
export function listenForInterrupt(io: CliIO, message: string): InterruptListener {
  const controller = new AbortController();
  const onInterrupt = () => {
    io.err(message);
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, release: () => process.off('SIGINT', onInterrupt) };
}
