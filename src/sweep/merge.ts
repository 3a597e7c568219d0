// `merge`: rebuilds, from the folders of `run --shard I/N` (I = 0..N-1), exactly the files one
// run would have written. Shard I holds tasks I, I+N, I+2N... so task t is line floor(t/N) of
// shard t%N; the tasks are replayed through the same ResultWriter as a run, in task order, so
// metrics.csv, summary.csv, events.csv and timeseries.csv are byte-identical to a single run's. summary.csv is
// recomputed from the exact values in tasks.jsonl.
//
// run.json: seed, replications, points and seeds as one run; eventsProcessed summed; workers
// summed (threads that worked on the result); wallTimeS the longest shard's (shards run side by
// side); commandLine the merge's; mergedShards lists each shard's command line and wall time.
//
// Shards are of the same run when their headers agree, inputsHash included (identity.ts: the
// --set overrides and policy modules too). Shards written before inputsHash existed merge only
// with each other, on the scenario hash alone, with a warning. Each shard's events.csv and
// timeseries.csv must hold exactly the records its tasks.jsonl counts (a header line, then the
// sum of its traceChars or timeseriesChars): a cut or edited file is refused, not merged short.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describeInputs, parseShardFile, SHARD_FILE, type ParsedShard, type ShardHeader } from './shard-file.js';
import { EVENTS_HEADER, TIMESERIES_HEADER } from './execute.js';
import { CSV_OPTIONS } from '../output/csv.js';
import { ResultWriter } from './results.js';
import { writeRunJsonAtomic, type RunInfo } from '../output/run-json.js';
import type { SummaryRow } from '../output/csv.js';

/** Shard folders that do not fit together: bad input, not an internal error. */
export class MergeError extends Error {}

interface ShardDir {
  dir: string;
  parsed: ParsedShard;
  run: { commandLine?: string[]; workers?: number; wallTimeS?: number; version?: string };
  events: string | null;
  timeseries: string | null;
}

function readShard(dir: string): ShardDir {
  const file = join(dir, SHARD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new MergeError(`${dir}: no ${SHARD_FILE}; expected a folder written by \`kubesim-des run --shard I/N\``);
  }
  let parsed: ParsedShard;
  try {
    parsed = parseShardFile(text, file);
  } catch (err) {
    throw new MergeError(err instanceof Error ? err.message : String(err));
  }
  let run: ShardDir['run'] = {};
  try {
    run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as ShardDir['run'];
  } catch {
    throw new MergeError(`${dir}: no readable run.json`);
  }
  const eventsPath = join(dir, 'events.csv');
  const tsPath = join(dir, 'timeseries.csv');
  return {
    dir, parsed, run,
    events: existsSync(eventsPath) ? readFileSync(eventsPath, 'utf8') : null,
    timeseries: existsSync(tsPath) ? readFileSync(tsPath, 'utf8') : null,
  };
}

export interface MergeResult {
  scenario: string;
  paramNames: string[];
  summaryRows: SummaryRow[];
  trace: boolean;
  timeseries: boolean;
  /** For stderr: shards whose inputs could not be compared. */
  warnings: string[];
}

/** A shard's run, for messages: "scenario S, hash H, inputs I, seed N, T tasks in N shards". */
function describeRun(h: ShardHeader): string {
  return `${describeInputs(h)}, ${h.totalTasks} tasks in ${h.shard.count} shards`;
}

/**
 * Checks that a shard's events.csv or timeseries.csv (`text`) is its header line and then exactly
 * `chars` characters of records, the sum its tasks.jsonl lines give.
 */
function checkRecords(dir: string, name: string, text: string, header: string, chars: number, what: string): void {
  const want = header.length + chars;
  if (!text.startsWith(header) || text.length !== want) {
    throw new MergeError(
      `${join(dir, name)}: expected ${want} characters (the header line, then the ${what} of the tasks in ${join(dir, SHARD_FILE)}), ` +
        `got ${text.length}${text.startsWith(header) ? '' : ' not starting with the header line'}: a cut or edited file? Run that shard again`,
    );
  }
}

export async function mergeShards(dirs: string[], outDir: string, argv: string[], version: string): Promise<MergeResult> {
  const shards = dirs.map(readShard);
  const h0 = shards[0]!.parsed.header;
  const count = h0.shard.count;
  const byIndex: (ShardDir | undefined)[] = new Array(count);
  const warnings: string[] = [];
  const unchecked = shards.filter((s) => s.parsed.header.inputsHash === undefined);
  if (unchecked.length > 0 && unchecked.length < shards.length) {
    const other = shards.find((s) => s.parsed.header.inputsHash !== undefined)!;
    throw new MergeError(
      `${unchecked[0]!.dir}: written by an earlier kubesim-des (no inputsHash in its ${SHARD_FILE}), so its --set overrides and policy modules ` +
        `cannot be compared with those of ${other.dir}; run it again with this version`,
    );
  }
  if (unchecked.length > 0) {
    warnings.push(
      `merge: the shards were written by an earlier kubesim-des (no inputsHash in ${SHARD_FILE}): merged on the scenario hash, seed and task ` +
        'count alone; that they ran with the same --set overrides and policy modules is not checked',
    );
  }
  for (const s of shards) {
    const h = s.parsed.header;
    const same = h.scenario === h0.scenario && h.scenarioHash === h0.scenarioHash && h.inputsHash === h0.inputsHash && h.seed === h0.seed &&
      h.replications === h0.replications && h.totalTasks === h0.totalTasks && h.shard.count === count &&
      JSON.stringify(h.pointParams) === JSON.stringify(h0.pointParams);
    if (!same) {
      const onlyInputs = h.inputsHash !== h0.inputsHash && h.scenarioHash === h0.scenarioHash;
      throw new MergeError(
        `${s.dir}: not a shard of the same run as ${shards[0]!.dir} (expected ${describeRun(h0)}; got ${describeRun(h)})` +
          (onlyInputs ? ': the same scenario and manifests, but other --set overrides or policy module contents' : ''),
      );
    }
    if (byIndex[h.shard.index] !== undefined) throw new MergeError(`${s.dir}: shard ${h.shard.index}/${count} given twice (also ${byIndex[h.shard.index]!.dir})`);
    byIndex[h.shard.index] = s;
  }
  const missing = [...byIndex.keys()].filter((i) => byIndex[i] === undefined);
  if (missing.length > 0) throw new MergeError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}`);
  const ordered = byIndex as ShardDir[];
  for (const s of ordered) {
    if (s.parsed.header.trace === true && s.events === null) throw new MergeError(`${s.dir}: run with --trace, but its events.csv is missing`);
  }
  const traced = ordered.filter((s) => s.events !== null).length;
  if (traced !== 0 && traced !== count) throw new MergeError(`events.csv is in ${traced} of ${count} shard folders: run every shard with or without --trace`);
  const sampled = ordered.filter((s) => s.timeseries !== null).length;
  if (sampled !== 0 && sampled !== count) throw new MergeError(`timeseries.csv is in ${sampled} of ${count} shard folders: run every shard with the same output.timeseries`);
  const eventsHeader = stringify([EVENTS_HEADER], CSV_OPTIONS);
  const timeseriesHeader = stringify([TIMESERIES_HEADER], CSV_OPTIONS);
  for (const s of ordered) {
    const expected = Math.ceil((h0.totalTasks - s.parsed.header.shard.index) / count);
    if (s.parsed.tasks.length !== expected) {
      throw new MergeError(`${s.dir}: expected ${expected} tasks in shard ${s.parsed.header.shard.index}/${count}, got ${s.parsed.tasks.length} (an interrupted shard?)`);
    }
    if (s.events !== null) checkRecords(s.dir, 'events.csv', s.events, eventsHeader, s.parsed.tasks.reduce((n, t) => n + t.traceChars, 0), 'traceChars');
    if (s.timeseries !== null) {
      checkRecords(s.dir, 'timeseries.csv', s.timeseries, timeseriesHeader, s.parsed.tasks.reduce((n, t) => n + t.timeseriesChars, 0), 'timeseriesChars');
    }
  }

  const writer = new ResultWriter({
    outDir, scenarioName: h0.scenario, paramNames: h0.paramNames, pointParams: h0.pointParams, trace: traced > 0, timeseries: sampled > 0,
  });
  try {
    const traceOffsets = new Array<number>(count).fill(0);
    const eventsHeaderChars = eventsHeader.length - 1; // the records start after its '\n'
    const tsOffsets = new Array<number>(count).fill(0);
    const tsHeaderChars = timeseriesHeader.length - 1;
    for (let t = 0; t < h0.totalTasks; t++) {
      const s = ordered[t % count]!;
      const line = s.parsed.tasks[Math.floor(t / count)]!;
      if (line.task !== t) throw new MergeError(`${s.dir}: expected task ${t} at line ${Math.floor(t / count) + 2} of ${SHARD_FILE}, got task ${line.task}`);
      let traceCsv = '';
      if (s.events !== null) {
        const start = eventsHeaderChars + 1 + traceOffsets[t % count]!;
        traceCsv = s.events.slice(start, start + line.traceChars);
        traceOffsets[t % count]! += line.traceChars;
      }
      let timeseriesCsv = '';
      if (s.timeseries !== null) {
        const start = tsHeaderChars + 1 + tsOffsets[t % count]!;
        timeseriesCsv = s.timeseries.slice(start, start + line.timeseriesChars);
        tsOffsets[t % count]! += line.timeseriesChars;
      }
      writer.add({
        task: { index: t, point: line.point, replication: line.replication, seed: line.seed },
        keys: line.keys,
        values: line.values,
        eventsProcessed: line.events,
        traceCsv,
        timeseriesCsv,
      });
    }
  } catch (err) {
    writer.abort();
    throw err;
  }
  const summaryRows = await writer.commit();
  const info: RunInfo = {
    version,
    scenario: h0.scenario,
    scenarioHash: h0.scenarioHash,
    ...(h0.inputsHash !== undefined ? { inputsHash: h0.inputsHash } : {}),
    commandLine: argv,
    seed: h0.seed,
    replications: h0.replications,
    points: h0.pointParams.length,
    workers: ordered.reduce((w, s) => w + (s.run.workers ?? 1), 0),
    wallTimeS: Math.max(...ordered.map((s) => s.run.wallTimeS ?? 0)),
    eventsProcessed: writer.eventsProcessed,
    mergedShards: ordered.map((s) => ({
      dir: s.dir,
      shard: s.parsed.header.shard,
      commandLine: s.run.commandLine ?? [],
      workers: s.run.workers ?? 1,
      wallTimeS: s.run.wallTimeS ?? 0,
    })),
    seeds: writer.seeds(),
  };
  try {
    await writeRunJsonAtomic(join(outDir, 'run.json'), info);
  } finally {
    writer.dispose();
  }
  return { scenario: h0.scenario, paramNames: h0.paramNames, summaryRows, trace: traced > 0, timeseries: sampled > 0, warnings };
}
