/**
 * What every benchmark reports: a figure next to its floor (the same measurement of the least
 * possible implementation), the ratio to it, and the target for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { jsonFastPathChoice } from '../../lambda/json-fast-path';

export interface BenchResult {
  /** The section: cold-start, handler, dynamodb, load. */
  group: string;
  name: string;
  value: number;
  unit: string;
  /** The same figure for the floor, when there is one. */
  floor: number | null;
  /** value / floor. */
  ratio: number | null;
  /** The target, in words; null when the figure is only reported. */
  target: string | null;
  /** Whether the target is met; null when there is no target. */
  met: boolean | null;
  /**
   * Relative spread of the samples behind the figure: (p75 - p25) / median. Null for figures
   * that are counts rather than timings.
   */
  spread: number | null;
  noisy: boolean;
  /** Anything else worth reading next to the figure (requests/s, our own µs, errors). */
  note?: string;
  /** Raw figures for the JSON file. */
  detail?: Record<string, unknown>;
}

/** A timing whose quartiles are more than this far apart (relative to the median) is noisy. */
export const NOISY_SPREAD = 0.1;

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (position - low);
}

/** (p75 - p25) / median: how far apart the middle half of the samples is. */
export function relativeSpread(values: readonly number[]): number {
  const middle = median(values);
  return middle === 0 ? 0 : (quantile(values, 0.75) - quantile(values, 0.25)) / middle;
}

export interface ResultInit {
  group: string;
  name: string;
  value: number;
  unit: string;
  floor?: number | null;
  target?: string | null;
  met?: boolean | null;
  samples?: readonly number[];
  /** Set for figures known to swing from run to run whatever their samples say. */
  noisy?: boolean;
  note?: string;
  detail?: Record<string, unknown>;
}

export function result(init: ResultInit): BenchResult {
  const floor = init.floor ?? null;
  const spread = init.samples ? relativeSpread(init.samples) : null;
  return {
    group: init.group,
    name: init.name,
    value: init.value,
    unit: init.unit,
    floor,
    ratio: floor === null || floor === 0 ? null : init.value / floor,
    target: init.target ?? null,
    met: init.met ?? null,
    spread,
    noisy: init.noisy === true || (spread !== null && spread > NOISY_SPREAD),
    ...(init.note ? { note: init.note } : {}),
    ...(init.detail ? { detail: init.detail } : {}),
  };
}

function formatNumber(value: number | null): string {
  if (value === null) return '-';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function formatRatio(ratio: number | null): string {
  return ratio === null ? '-' : `${ratio.toFixed(2)}x`;
}

function formatMet(met: boolean | null): string {
  return met === null ? '-' : met ? 'yes' : 'NO';
}

function formatSpread(row: BenchResult): string {
  const spread = row.spread === null ? '' : `±${Math.round(row.spread * 100)}%`;
  return `${spread}${row.noisy ? ' noisy' : ''}`.trim() || '-';
}

/** One plain-text table per group, columns padded to fit. */
export function formatTable(rows: readonly BenchResult[]): string {
  const header = ['name', 'value', 'unit', 'floor', 'ratio', 'target', 'met', 'spread', 'note'];
  const numeric = new Set([1, 3, 4]);
  const out: string[] = [];
  const groups = [...new Set(rows.map((row) => row.group))];
  for (const group of groups) {
    const cells = rows
      .filter((row) => row.group === group)
      .map((row) => [
        row.name,
        formatNumber(row.value),
        row.unit,
        formatNumber(row.floor),
        formatRatio(row.ratio),
        row.target ?? '-',
        formatMet(row.met),
        formatSpread(row),
        row.note ?? '',
      ]);
    const widths = header.map((title, column) =>
      Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
    );
    const render = (line: readonly string[]) =>
      line
        .map((cell, column) =>
          numeric.has(column)
            ? cell.padStart(widths[column] ?? 0)
            : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd();
    out.push(`\n== ${group} ==`);
    out.push(render(header));
    out.push(render(widths.map((width) => '-'.repeat(width))));
    for (const line of cells) out.push(render(line));
  }
  return out.join('\n');
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** V8's JSON.stringify fast path in the functions measured: set by them, V8's default, or off. */
  jsonFastPath: 'on' | 'off' | 'default';
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    jsonFastPath: jsonFastPathChoice(process.env),
  };
}

export function writeResults(
  file: string,
  report: {
    machine: Machine;
    durationSeconds: number;
    phaseSeconds: Record<string, number>;
    results: readonly BenchResult[];
  },
): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
