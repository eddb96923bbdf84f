import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendChoice } from '@spredjs/runtime';
import type { CaseResult, SuiteOutcome } from './suite.js';

/** The JSON a suite run writes to `DIR/<suite>.json`. */
export interface SuiteReport {
  readonly suite: string;
  readonly backend: string;
  readonly backendDetails: BackendChoice['details'];
  readonly quick: boolean;
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly cases: readonly CaseResult[];
  readonly targets: NonNullable<SuiteOutcome['targets']>;
}

export function makeReport(
  suite: string,
  backend: BackendChoice,
  quick: boolean,
  outcome: SuiteOutcome,
): SuiteReport {
  const cpuList = cpus();
  return {
    suite,
    backend: backend.id,
    backendDetails: backend.details,
    quick,
    date: new Date().toISOString(),
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      node: process.version,
    },
    cases: outcome.cases,
    targets: outcome.targets ?? [],
  };
}

export function writeReport(dir: string, report: SuiteReport): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${report.suite}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** Writes a suite's figures into `dir` (and its subfolders they name); returns their paths. */
export function writeFigures(dir: string, outcome: SuiteOutcome): string[] {
  mkdirSync(dir, { recursive: true });
  return (outcome.figures ?? []).map((figure) => {
    const path = join(dir, figure.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, figure.svg);
    return path;
  });
}

function formatCell(value: CaseResult[string] | undefined): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5
      ? value.toPrecision(4)
      : value.toExponential(2);
  }
  return value === undefined || value === null ? '' : String(value);
}

/** A plain fixed-width table of the chosen columns. */
export function formatTable(cases: readonly CaseResult[], columns: readonly string[]): string {
  const rows = cases.map((c) => columns.map((col) => formatCell(c[col])));
  const widths = columns.map((col, i) =>
    Math.max(col.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
