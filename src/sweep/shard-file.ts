// tasks.jsonl: what a shard keeps so that `merge` can rebuild exactly what one run would have
// written. Line 1 is a header (scenario, hash, parameters, task count, shard); each further
// line is one task in task order with its metric values at full precision (JSON numbers
// round-trip every finite double; NaN and infinities are written as the strings "NaN", "inf",
// "-inf"). Keys are written with the first task of each point in the file. metrics.csv cannot
// serve: its numbers are rounded to 12 digits, and summaries must see the exact values. A task's
// events.csv and timeseries.csv records live in the folder's files of those names; its line
// gives their lengths (traceChars, timeseriesChars; absent = 0), so they can be cut back out.
//
// The resumable record of a run (journal.ts, same format) writes a task's values instead as
// `"values64"`: the base64 of their IEEE-754 bytes, little-endian. That is exact for every double
// (-0 too) and several times cheaper than the decimal text, and the record is written on the
// main thread once per task; `parseShardFile` reads either.

import { endianness } from 'node:os';
import type { MetricKey } from './execute.js';
import type { Shard } from './tasks.js';

export const SHARD_FILE = 'tasks.jsonl';
const FORMAT = 'kubesim-des/shard-tasks/v1';

export interface ShardHeader {
  format: typeof FORMAT;
  scenario: string;
  scenarioHash: string;
  /**
   * The run's identity (identity.ts): scenario, manifests, --set overrides, policy modules.
   * Absent in files written before it existed, which `merge` and `--resume` cannot check.
   */
  inputsHash?: string;
  paramNames: string[];
  /** Swept parameter values, indexed by point. */
  pointParams: string[][];
  seed: number;
  replications: number;
  totalTasks: number;
  shard: Shard;
  /** The run writes timeseries.csv (a scenario point sets `output.timeseries`). */
  timeseries?: boolean;
  /** The run writes events.csv (--trace); absent without. */
  trace?: boolean;
}

export interface ShardTaskLine {
  task: number;
  point: number;
  replication: number;
  seed: number;
  events: number;
  /** Length (UTF-16 code units) of this task's records in the shard's events.csv; 0 without --trace. */
  traceChars: number;
  /** Length of this task's records in the folder's timeseries.csv; absent when 0. */
  timeseriesChars?: number;
  /** Present on the first task of each point in the file. */
  keys?: [string, string, string][];
  /** The values as JSON numbers (or "NaN", "inf", "-inf"); or, instead: */
  values?: (number | string)[];
  /** the values as base64 of their little-endian IEEE-754 bytes (the resumable record). */
  values64?: string;
}

/** A record's run, for messages: "scenario S, hash H, inputs I, seed N" (hashes shortened to 12 digits). */
export function describeInputs(h: Pick<ShardHeader, 'scenario' | 'scenarioHash' | 'inputsHash' | 'seed'>): string {
  return `scenario ${h.scenario}, hash ${h.scenarioHash.slice(0, 12)}, inputs ${(h.inputsHash ?? '(none)').slice(0, 12)}, seed ${h.seed}`;
}

export function headerLine(h: Omit<ShardHeader, 'format'>): string {
  return `${JSON.stringify({ format: FORMAT, ...h })}\n`;
}

/**
 * One task's line. Formatted by hand, field for field what JSON.stringify of the ShardTaskLine
 * would write (a test compares them): this runs on the main thread once per task, and the generic
 * serializer over an array built for it cost several times as much.
 */
export function taskLine(
  task: { index: number; point: number; replication: number; seed: number },
  events: number,
  traceChars: number,
  keys: MetricKey[] | null,
  values: Float64Array,
  timeseriesChars = 0,
  base64 = false,
): string {
  let line = `{"task":${task.index},"point":${task.point},"replication":${task.replication},"seed":${task.seed},"events":${events},"traceChars":${traceChars},`;
  if (base64) {
    line += `"values64":"${valuesBase64(values)}"`;
  } else {
    line += '"values":[';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) line += ',';
      line += encodedText(values[i]!);
    }
    line += ']';
  }
  if (timeseriesChars > 0) line += `,"timeseriesChars":${timeseriesChars}`;
  if (keys !== null) line += `,"keys":${JSON.stringify(keys.map((k) => [k.subjectKind, k.subject, k.metric]))}`;
  return `${line}}\n`;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Base64 of the values' IEEE-754 bytes, little-endian. */
export function valuesBase64(values: Float64Array): string {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeDoubleLE(v, 8 * i));
  return bytes.toString('base64');
}

/** The values valuesBase64 wrote; `where` names the line in errors. */
export function valuesFromBase64(text: string, where: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) throw new Error(`${where}: expected base64 of 8-byte doubles, got ${bytes.length} bytes`);
  const values = new Float64Array(bytes.length / 8);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readDoubleLE(8 * i);
  return values;
}

/** JSON.stringify(encode(v)): a finite number as JavaScript writes it (-0 as 0), the others as quoted names. */
function encodedText(v: number): string {
  if (Number.isFinite(v)) return v === 0 ? '0' : String(v);
  return `"${encode(v) as string}"`;
}

/** The value a line holds for `v`: the number, or the name of a non-finite one ("NaN", "inf", "-inf"; decode reads them back). */
export function encode(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
}

function decode(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  throw new Error(`Expected a number, "NaN", "inf" or "-inf", got ${JSON.stringify(v)}`);
}

export interface ParsedShard {
  header: ShardHeader;
  tasks: {
    task: number; point: number; replication: number; seed: number; events: number; traceChars: number; timeseriesChars: number;
    keys: MetricKey[]; values: Float64Array;
  }[];
}

/**
 * Parses a tasks.jsonl; `where` names the file in errors, which are `FILE:LINE:COL: message`
 * (a line that is not JSON, such as the last one of a file cut short, is one).
 */
export function parseShardFile(text: string, where: string): ParsedShard {
  const all = text.split('\n');
  const numbered = all.map((l, i) => ({ l, n: i + 1 })).filter(({ l }) => l.length > 0);
  const json = ({ l, n }: { l: string; n: number }): unknown => {
    try {
      return JSON.parse(l);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const at = /at position (\d+)/.exec(msg);
      const col = at !== null ? Number(at[1]) + 1 : /end of JSON input/.test(msg) ? l.length + 1 : 1;
      const cut = n === all.length; // no newline after it: the file ends inside this line
      throw new Error(`${where}:${n}:${col}: expected a JSON object on this line: ${msg}${cut ? ' (the file ends inside this line: cut short?)' : ''}`);
    }
  };
  const header = (numbered.length > 0 ? json(numbered[0]!) : null) as ShardHeader | null;
  if (header === null || typeof header !== 'object' || header.format !== FORMAT) {
    throw new Error(`${where}:1:1: expected a ${FORMAT} header on line 1, got ${numbered[0]?.l.slice(0, 60) ?? 'an empty file'}`);
  }
  const keysByPoint = new Map<number, MetricKey[]>();
  const tasks = numbered.slice(1).map((line) => {
    const t = json(line) as ShardTaskLine;
    const at = `${where}:${line.n}`;
    if (t.keys !== undefined) keysByPoint.set(t.point, t.keys.map(([subjectKind, subject, metric]) => ({ subjectKind, subject, metric })));
    const keys = keysByPoint.get(t.point);
    const values = t.values64 !== undefined ? valuesFromBase64(t.values64, at) : Float64Array.from(t.values ?? [], decode);
    if (keys === undefined || keys.length !== values.length) {
      throw new Error(`${at}: expected ${keys?.length ?? 'known'} metric keys for point ${t.point}, got ${values.length} values`);
    }
    return {
      task: t.task, point: t.point, replication: t.replication, seed: t.seed, events: t.events, traceChars: t.traceChars ?? 0,
      timeseriesChars: t.timeseriesChars ?? 0, keys, values,
    };
  });
  return { header, tasks };
}
