import { spawnSync } from 'node:child_process';

/** One command line the bench times from the outside, as a user would run it. */
export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
}

/** A timed process that failed: says which command, with the end of what it printed. */
export class BenchProcessError extends Error {
  constructor(
    readonly spec: ProcessSpec,
    readonly status: number | null,
    output: string,
  ) {
    const tail = output.trim().split('\n').slice(-4).join(' | ');
    super(
      `${[spec.command, ...spec.args].join(' ').slice(0, 300)} exited with ${status ?? 'a signal'}: ${tail}`,
    );
    this.name = 'BenchProcessError';
  }
}

/** A timed process that ran past its time limit and was stopped. */
export class BenchTimeoutError extends BenchProcessError {
  constructor(
    spec: ProcessSpec,
    readonly limitSeconds: number,
  ) {
    super(spec, null, `stopped after ${limitSeconds} s`);
    this.name = 'BenchTimeoutError';
  }
}

/**
 * Runs a command to completion and returns its wall time in seconds, measured around the whole
 * process — start-up, imports, reading the input files, the fit and writing the answer — the
 * scope a user pays for, the same for every solver. Past `timeoutSeconds` the process is stopped
 * and a {@link BenchTimeoutError} thrown.
 *
 * @example
 * ```ts
 * const seconds = timeWholeProcess({ command: '/usr/bin/python3', args: ['-c', 'import sklearn'] });
 * ```
 */
export function timeWholeProcess(spec: ProcessSpec, timeoutSeconds = 3600): number {
  const start = performance.now();
  const r = spawnSync(spec.command, spec.args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: timeoutSeconds * 1000,
  });
  const seconds = (performance.now() - start) / 1000;
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT')
    throw new BenchTimeoutError(spec, timeoutSeconds);
  if (r.error !== undefined || r.status !== 0)
    throw new BenchProcessError(
      spec,
      r.status,
      `${r.error?.message ?? ''}\n${r.stderr ?? ''}\n${r.stdout ?? ''}`,
    );
  return seconds;
}
