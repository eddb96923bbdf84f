import { InvalidArgumentError } from 'commander';
import { CliInputError } from './io/cli-input-error.js';

/** Commander parser for a finite number flag. */
export function parseNumberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

/** Commander parser for a positive integer flag. */
export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Commander parser for a comma-separated list of positive numbers. */
export function parsePositiveList(value: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  const numbers = items.map(Number);
  if (items.some((s) => s === '') || numbers.some((n) => !(Number.isFinite(n) && n > 0)))
    throw new InvalidArgumentError(`expected comma-separated positive numbers, got '${value}'`);
  return numbers;
}

/** Commander parser for a comma-separated list of positive integers. */
export function parsePositiveIntegerList(value: string): number[] {
  const numbers = parsePositiveList(value);
  if (numbers.some((n) => !Number.isInteger(n)))
    throw new InvalidArgumentError(`expected comma-separated positive integers, got '${value}'`);
  return numbers;
}

/** Commander parser for a positive number flag. */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(Number.isFinite(n) && n > 0))
    throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return n;
}

/** Commander parser for a number flag that may be 0 but not negative. */
export function parseNonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(Number.isFinite(n) && n >= 0))
    throw new InvalidArgumentError(`expected a number ≥ 0, got '${value}'`);
  return n;
}

/** Commander parser for a whole-number flag that may be 0. */
export function parseNonNegativeInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(Number.isInteger(n) && n >= 0))
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got '${value}'`);
  return n;
}

/** The comma-separated `--methods` list, checked against the known ones (an error names the unknown). */
export function parseMethodList<M extends string>(list: string, known: readonly M[]): M[] {
  const methods = list.split(',').map((m) => m.trim());
  const unknown = methods.filter((m) => !(known as readonly string[]).includes(m));
  if (unknown.length > 0 || methods.length === 0)
    throw new CliInputError(
      `--methods: unknown method ${unknown.map((m) => `'${m}'`).join(', ')} (choose from ${known.join(', ')})`,
    );
  return methods as M[];
}

/** Commander parser for a number of training samples: a whole number ≥ 2 (a fit needs two). */
export function parseSampleCount(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(Number.isInteger(n) && n >= 2))
    throw new InvalidArgumentError(
      `expected a whole number ≥ 2 (a fit needs at least two samples), got '${value}'`,
    );
  return n;
}

/** Commander parser for a share strictly between 0 and 1. */
export function parseFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n < 1))
    throw new InvalidArgumentError(`expected a number between 0 and 1 (exclusive), got '${value}'`);
  return n;
}
