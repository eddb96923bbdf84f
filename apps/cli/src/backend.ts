import type { BackendChoice } from '@spredjs/runtime';
import type { CliIO } from './cli-io.js';

/**
 * Chooses the backend for a command (the `--backend` flag wins over SPRED_BACKEND) and says which
 * ran. @spredjs/runtime (and with it tfjs) is loaded here, on first use, so that commands and flags
 * that need no backend (`--help`, `--version`, a bad flag) start without it.
 */
export async function startBackend(backend: string | undefined, io: CliIO): Promise<BackendChoice> {
  const { formatBackendChoice, initBackend } = await import('@spredjs/runtime');
  const choice = await initBackend(backend === undefined ? {} : { backend });
  io.err(formatBackendChoice(choice));
  return choice;
}
