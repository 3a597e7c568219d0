// `kubesim-des run SCENARIO`: every sweep point x replication, a summary table on stdout,
// metrics.csv, summary.csv and run.json (and events.csv with --trace, timeseries.csv with
// `output.timeseries`) under --out.

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TaskFailures, type TaskError } from '../../sweep/run.js';
import { buildTasks, selectTaskList, TaskGrid, taskListOf, tasksFrom, type Selection, type Shard, type TaskList } from '../../sweep/tasks.js';
import { runTasks, SharedThreads, type TaskOutcome } from '../../sweep/pool.js';
import { nextBatchEnd, parseTargetCi, widestHalfWidth, type PointValues, type TargetCi, type Widest } from '../../sweep/target-ci.js';
import { ResultWriter } from '../../sweep/results.js';
import { SHARD_FILE } from '../../sweep/shard-file.js';
import { inputsHash } from '../../sweep/identity.js';
import { EXIT_INTERRUPTED, Interrupted, UsageError } from '../errors.js';
import { Journal, JournalMismatch, PARTIAL_DIR, readJournal, type JournalTask } from '../../sweep/journal.js';
import { sha256Hex, writeRunJsonAtomic } from '../../output/run-json.js';
import { renderJson, renderSummaryTable } from '../../output/table.js';
import { formatNumber } from '../../output/format.js';
import { loadOrExit, parseOverrides, parseWorkers, preloadPolicies, ensureOutDir } from './common.js';
import { Progress } from '../progress.js';
import { toolVersion } from '../version.js';
import type { LoadedScenario } from '../../scenario/load.js';
import type { MetricKey } from '../../sweep/execute.js';

export interface RunArgs {
  scenario: string;
  out?: string;
  seed?: number;
  replications?: number;
  set?: string[];
  format: 'table' | 'json';
  quiet: boolean;
  trace: boolean;
  /** --workers N (default: available cores, for runs long enough to pay for them). */
  workers?: number;
  /** --only POINT:REPLICATION */
  only?: string;
  /** --shard I/N */
  shard?: string;
  /** --resume: skip the tasks recorded in <out>/.partial by an interrupted run. */
  resume?: boolean;
  /** --target-ci METRIC=HALFWIDTH (with --max-replications). */
  targetCi?: string;
  maxReplications?: number;
}

/**
 * Test hook: KUBESIM_TEST_INTERRUPT_AFTER=K runs the SIGINT handler once K tasks have finished
 * (in task order), so Ctrl-C and --resume are tested end to end.
 */
function interruptAfter(): number | null {
  const v = process.env.KUBESIM_TEST_INTERRUPT_AFTER;
  return v === undefined || v === '' ? null : Number(v);
}

export async function runCommand(args: RunArgs, argv: string[]): Promise<void> {
  const selection = parseSelection(args.only, args.shard, process.env);
  const workers = parseWorkers(args.workers);
  const loaded = loadOrExit(args.scenario, parseOverrides(args.set));
  await preloadPolicies(loaded);
  const tStart = performance.now();
  // --target-ci: the batches decide the replication count; their results are replayed below.
  const target = args.targetCi !== undefined || args.maxReplications !== undefined ? checkTarget(args, selection) : null;
  const batches = target !== null ? await runBatches(loaded, target, args, workers) : null;
  const all = new TaskGrid(loaded, { replications: batches?.replications ?? args.replications, seed: args.seed });
  let tasks: TaskList;
  try {
    tasks = selectTaskList(all, selection);
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const shard = selection.kind === 'shard' ? selection.shard : null;
  const outDir = args.out ?? join('results', loaded.name, ...(shard !== null ? [`shard-${shard.index}-of-${shard.count}`] : []));
  ensureOutDir(outDir);
  const first = loaded.points[0]!.scenario;
  const seed = args.seed ?? first.seed;
  const replications = batches?.replications ?? args.replications ?? first.replications;
  const pointParams = loaded.points.map((p) => loaded.sweepParamNames.map((name) => p.params[name] ?? ''));
  const scenarioHash = sha256Hex(loaded.sourceText);
  const inputs = inputsHash(loaded, scenarioHash); // what else decides the numbers: --set, policy modules
  // timeseries.csv when any point samples (a sweep or --set may set output.timeseries).
  const timeseries = loaded.points.some((p) => p.scenario.output.timeseriesStepS !== null);
  const writer = new ResultWriter({
    outDir,
    scenarioName: loaded.name,
    paramNames: loaded.sweepParamNames,
    pointParams,
    trace: args.trace,
    timeseries,
    ...(shard !== null
      ? {
          shard: {
            scenario: loaded.name, scenarioHash, inputsHash: inputs, paramNames: loaded.sweepParamNames, pointParams, seed, replications,
            totalTasks: all.length, shard, ...(timeseries ? { timeseries } : {}), ...(args.trace ? { trace: true } : {}),
          },
        }
      : {}),
  });
  // The resumable record of finished tasks (not for --only: one task has nothing to resume).
  const journalHeader = {
    scenario: loaded.name, scenarioHash, inputsHash: inputs, paramNames: loaded.sweepParamNames, pointParams, seed, replications, totalTasks: all.length,
    shard: shard ?? { index: 0, count: 1 },
    ...(timeseries ? { timeseries } : {}),
    ...(args.trace ? { trace: true } : {}),
  };
  let journal: Journal | null = null;
  let resumed: JournalTask[] = [];
  try {
    if (selection.kind !== 'only' && batches === null) {
      if (args.resume === true) resumed = readJournal(outDir, journalHeader, tasks);
      journal = new Journal(outDir, journalHeader, resumed);
    } else if (args.resume === true) {
      throw new UsageError('--resume and --only cannot be combined');
    }
    for (const t of resumed) {
      writer.add({
        task: { index: t.task, point: t.point, replication: t.replication, seed: t.seed },
        keys: t.keys, values: t.values, eventsProcessed: t.events, traceCsv: t.traceCsv, timeseriesCsv: t.timeseriesCsv,
      });
    }
    if (batches !== null) {
      for (let i = 0; i < tasks.length; i++) {
        const t = tasks.at(i);
        writer.add({ ...batches.outcomes.get(`${t.point}:${t.replication}`)!, task: t });
      }
    }
  } catch (err) {
    writer.abort();
    journal?.close();
    if (err instanceof JournalMismatch) throw new UsageError(`--resume: ${err.message}`);
    throw err;
  }
  const remaining = batches !== null ? taskListOf([]) : tasksFrom(tasks, resumed.length);
  const progress = new Progress(loaded.name, !args.quiet && process.stderr.isTTY === true);
  const failures: TaskError[] = [];
  let threads = batches?.threads ?? 1;
  const t0 = batches !== null ? tStart : performance.now();
  // Ctrl-C: stop scheduling tasks, terminate the threads, keep the record; a second one exits.
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) {
      journal?.close(); // what is buffered: a second Ctrl-C keeps every finished task too
      process.exit(EXIT_INTERRUPTED);
    }
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const stopAfter = interruptAfter();
  let finished = 0;
  try {
    const used = await runTasks(
      {
        scenarioName: loaded.name, paramNames: loaded.sweepParamNames, pointParams, scenarios: loaded.points.map((p) => p.scenario), tasks: remaining,
        workers, trace: args.trace, signal: abort.signal, seedFlag: args.seed,
      },
      {
        onOutcome: (o) => {
          if (!o.ok) failures.push(o.error);
          // After a failure the run goes on (every failure gets reported) but writes nothing more.
          else if (failures.length === 0) {
            writer.add(o);
            journal?.add(o.task, o.keys, o.values, o.eventsProcessed, o.traceCsv, o.timeseriesCsv);
          }
          // The handler itself, synchronously: a real signal is delivered through the event loop,
          // by when a loaded machine's workers may have finished every task (a flaky test).
          if (++finished === stopAfter) onSigint();
        },
        onDone: (d, t) => progress.update(d + resumed.length, t + resumed.length),
      },
    );
    if (remaining.length > 0) threads = used;
  } catch (err) {
    writer.abort();
    journal?.close();
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    progress.finish();
  }
  if (abort.signal.aborted && failures.length === 0) {
    // No metrics.csv, summary.csv or run.json: they would read as complete. The finished tasks
    // are in .partial for --resume.
    writer.abort();
    journal?.close();
    const done = writer.tasks;
    throw new Interrupted(
      `interrupted after ${done} of ${tasks.length} tasks; no metrics.csv, summary.csv or run.json written. ` +
        (journal !== null ? `The finished tasks are in ${join(outDir, PARTIAL_DIR)}: run the same command with --resume to finish.` : ''),
    );
  }
  if (failures.length > 0) {
    journal?.close();
    // No metrics.csv, summary.csv or run.json at all: a file missing some tasks would read as
    // a complete answer. The failures are printed, each with its --only to reproduce it.
    writer.abort();
    throw new TaskFailures(failures, tasks.length);
  }
  const wallTimeS = (performance.now() - t0) / 1000;
  const summaryRows = await writer.commit();
  try {
    await writeRunJsonAtomic(join(outDir, 'run.json'), {
      version: toolVersion(),
      scenario: loaded.name,
      scenarioHash,
      inputsHash: inputs,
      commandLine: argv,
      seed,
      replications,
      points: loaded.points.length,
      workers: threads,
      wallTimeS,
      eventsProcessed: writer.eventsProcessed,
      seeds: writer.seeds(),
      ...(shard !== null ? { shard } : {}),
    });
  } finally {
    writer.dispose();
  }
  journal?.remove();
  const files = `${join(outDir, 'metrics.csv')}, ${shard !== null ? SHARD_FILE : 'summary.csv'}, run.json` + (args.trace ? ', events.csv' : '') +
    (timeseries ? ', timeseries.csv' : '');
  if (shard !== null) {
    // A shard's summary would be partial: point the user at merge instead.
    if (args.format === 'json') {
      const record = { shard: { index: shard.index, count: shard.count }, tasks: tasks.length, of: all.length, out: outDir };
      process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
      return;
    }
    process.stdout.write(`shard ${shard.index}/${shard.count}: ${tasks.length} of ${all.length} tasks\nwrote ${files}\n` +
      `combine the ${shard.count} shard folders with: kubesim-des merge DIR... --out DIR\n`);
    return;
  }
  if (batches !== null) {
    const w = batches.widest;
    process.stderr.write(
      `--target-ci ${target!.metric}=${formatNumber(target!.halfWidth)}: ${batches.replications} replications per point; widest 95% CI half-width ` +
        `${formatNumber(w.halfWidth)} (${w.where})${w.halfWidth <= target!.halfWidth ? '' : `, over the target: stopped at --max-replications ${batches.replications}`}\n`,
    );
  }
  const paramNames = loaded.sweepParamNames;
  if (args.format === 'json') process.stdout.write(`${renderJson(summaryRows, { paramNames })}\n`);
  else {
    process.stdout.write(renderSummaryTable(summaryRows, { paramNames }));
    process.stdout.write(`\nwrote ${files}\n`);
  }
}

/** --target-ci and --max-replications: both, for a whole run only. */
function checkTarget(args: RunArgs, selection: Selection): TargetCi & { max: number } {
  if (args.targetCi === undefined || args.maxReplications === undefined) {
    throw new UsageError('--target-ci METRIC=HALFWIDTH and --max-replications N go together');
  }
  if (!Number.isInteger(args.maxReplications) || args.maxReplications < 2) {
    throw new UsageError(`--max-replications: expected an integer >= 2, got ${args.maxReplications}`);
  }
  if (selection.kind !== 'all' || args.resume === true) throw new UsageError('--target-ci cannot be combined with --only, --shard or --resume');
  try {
    return { ...parseTargetCi(args.targetCi), max: args.maxReplications };
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
}

type OkOutcome = Extract<TaskOutcome, { ok: true }>;

/**
 * Runs replications in batches (see sweep/target-ci.ts) until the target is met or the maximum
 * reached; returns every result by "point:replication", the replication count and the threads.
 */
async function runBatches(
  loaded: LoadedScenario,
  target: TargetCi & { max: number },
  args: RunArgs,
  workers: number | 'auto',
): Promise<{ replications: number; outcomes: Map<string, OkOutcome>; threads: number; widest: Widest }> {
  const batch = Math.max(2, args.replications ?? loaded.points[0]!.scenario.replications);
  const pointParams = loaded.points.map((p) => loaded.sweepParamNames.map((name) => p.params[name] ?? ''));
  const outcomes = new Map<string, OkOutcome>();
  const byPoint = new Map<number, PointValues>();
  const progress = new Progress(loaded.name, !args.quiet && process.stderr.isTTY === true);
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let n = 0;
  let threads = 1;
  let widest: Widest = { halfWidth: Infinity, where: null };
  const shared = new SharedThreads(); // one set of worker threads for every batch
  try {
    while (n < target.max) {
      const next = nextBatchEnd(n, batch, target.max);
      const tasks = taskListOf(buildTasks(loaded, { replications: next, seed: args.seed }).filter((t) => t.replication >= n));
      const failures: TaskError[] = [];
      // A metric no subject has is known once every point has a result (each point's first
      // task, in the first batch), not after the whole batch: stop there.
      const noSuchMetric = new AbortController();
      const used = await runTasks(
        {
          scenarioName: loaded.name, paramNames: loaded.sweepParamNames, pointParams, scenarios: loaded.points.map((p) => p.scenario), tasks, workers,
          trace: args.trace, signal: AbortSignal.any([abort.signal, noSuchMetric.signal]), seedFlag: args.seed,
        },
        {
          onOutcome: (o) => {
            if (!o.ok) return void failures.push(o.error);
            if (n === 0 && !byPoint.has(o.task.point) && byPoint.size + 1 === loaded.points.length) {
              const has = (keys: MetricKey[]): boolean => keys.some((k) => k.metric === target.metric);
              if (!has(o.keys) && ![...byPoint.values()].some((p) => has(p.keys))) noSuchMetric.abort();
            }
            // Kept until the batches end: bytes from a worker's ring are valid only in this call.
            const kept = typeof o.metricsCsv === 'string' ? o : { ...o, metricsCsv: o.metricsCsv.slice() };
            outcomes.set(`${o.task.point}:${o.task.replication}`, kept);
            let p = byPoint.get(o.task.point);
            if (p === undefined) byPoint.set(o.task.point, (p = { point: o.task.point, keys: o.keys, values: [] }));
            p.values.push(o.values);
          },
          onDone: (d) => progress.update(n * loaded.points.length + d, target.max * loaded.points.length),
        },
        shared,
      );
      threads = Math.max(threads, used);
      if (noSuchMetric.signal.aborted) throw noSubjectHas(target.metric, byPoint.values());
      if (abort.signal.aborted) throw new Interrupted(`interrupted during the --target-ci batches, after ${n} replications per point; nothing written`);
      if (failures.length > 0) throw new TaskFailures(failures, tasks.length);
      n = next;
      widest = widestHalfWidth([...byPoint.values()], target.metric);
      if (widest.where === null) throw noSubjectHas(target.metric, byPoint.values());
      if (widest.halfWidth <= target.halfWidth) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
    progress.finish();
    await shared.destroy();
  }
  return { replications: n, outcomes, threads, widest };
}

/** --target-ci named a metric no point's subjects have: say which metrics there are. */
function noSubjectHas(metric: string, points: Iterable<PointValues>): UsageError {
  const names = [...new Set([...points].flatMap((p) => p.keys.map((k) => k.metric)))];
  return new UsageError(`--target-ci: no subject has the metric "${metric}"; the metrics are ${names.join(', ')}`);
}

/**
 * --only POINT:REPLICATION, --shard I/N, or neither. Without --shard, a set JOB_COMPLETION_INDEX
 * (a Kubernetes Indexed Job) gives I and KUBESIM_SHARDS must give N: an Indexed Job that forgot
 * it would otherwise run the whole task list in every pod. --shard wins over the environment.
 */
export function parseSelection(only: string | undefined, shard: string | undefined, env: NodeJS.ProcessEnv): Selection {
  if (only !== undefined && shard !== undefined) throw new UsageError('--only and --shard cannot be combined');
  if (only !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(only.trim());
    if (m === null) throw new UsageError(`--only: expected POINT:REPLICATION (e.g. 0:3), got "${only}"`);
    return { kind: 'only', point: Number(m[1]), replication: Number(m[2]) };
  }
  if (shard !== undefined) return { kind: 'shard', shard: parseShard(shard, '--shard') };
  const index = env.JOB_COMPLETION_INDEX;
  if (index === undefined || index === '') return { kind: 'all' };
  const count = env.KUBESIM_SHARDS;
  if (count === undefined || count === '') {
    throw new UsageError(
      `JOB_COMPLETION_INDEX=${index} is set but the shard count is not: set KUBESIM_SHARDS=N (the Job's completions), or pass --shard I/N (--shard 0/1 runs everything)`,
    );
  }
  return { kind: 'shard', shard: parseShard(`${index}/${count}`, 'JOB_COMPLETION_INDEX/KUBESIM_SHARDS') };
}

function parseShard(text: string, what: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new UsageError(`${what}: expected I/N with 0 <= I < N (e.g. 0/4), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`${what}: expected I/N with 0 <= I < N, got "${text}"`);
  return { index, count };
}
