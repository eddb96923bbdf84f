import { formatBackendChoice, initBackend, type BackendChoice } from '@spred/runtime';
import type { CliIO } from './cli-io.js';

/** Chooses the backend for a command (the `--backend` flag wins over SPRED_BACKEND) and says which ran. */
export async function startBackend(backend: string | undefined, io: CliIO): Promise<BackendChoice> {
  const choice = await initBackend(backend === undefined ? {} : { backend });
  io.err(formatBackendChoice(choice));
  return choice;
}
