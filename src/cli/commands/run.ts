// `kubesim-des run SCENARIO`: every sweep point x replication, a summary table on stdout,
// metrics.csv, summary.csv and run.json (and events.csv with --trace) under --out.

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runScenario, type RunResult } from '../../sweep/run.js';
import { metricsCsv, summaryCsv } from '../../output/csv.js';
import { writeFileAtomic } from '../../output/atomic-write.js';
import { buildRunJson, sha256Hex } from '../../output/run-json.js';
import { renderJson, renderSummaryTable } from '../../output/table.js';
import { formatNumber } from '../../output/format.js';
import { stringify } from 'csv-stringify/sync';
import { loadOrExit, parseOverrides } from './common.js';
import { Progress } from '../progress.js';
import { toolVersion } from '../version.js';
import { POLICY_NAMES } from '../../sim/scheduler/scheduler.js';
import { InvalidScenario } from './common.js';
import type { LoadedScenario } from '../../scenario/load.js';

export interface RunArgs {
  scenario: string;
  out?: string;
  seed?: number;
  replications?: number;
  set?: string[];
  format: 'table' | 'json';
  quiet: boolean;
  trace: boolean;
}

export async function runCommand(args: RunArgs, argv: string[]): Promise<void> {
  const loaded = loadOrExit(args.scenario, parseOverrides(args.set));
  checkPolicies(loaded);
  const outDir = args.out ?? join('results', loaded.name);
  const progress = new Progress(loaded.name, !args.quiet && process.stderr.isTTY === true);
  const t0 = performance.now();
  const result = runScenario(loaded, {
    replications: args.replications,
    seed: args.seed,
    trace: args.trace,
    onTaskDone: (d, t) => progress.update(d, t),
  });
  const wallTimeS = (performance.now() - t0) / 1000;
  progress.finish();
  await writeOutputs(outDir, loaded, result, { wallTimeS, argv, seed: args.seed, replications: args.replications, trace: args.trace });
  const paramNames = loaded.sweepParamNames;
  if (args.format === 'json') process.stdout.write(`${renderJson(result.summaryRows, { paramNames })}\n`);
  else {
    process.stdout.write(renderSummaryTable(result.summaryRows, { paramNames }));
    process.stdout.write(`\nwrote ${join(outDir, 'metrics.csv')}, summary.csv, run.json` + (args.trace ? ', events.csv' : '') + '\n');
  }
}

/** The policy name is validated here, at the boundary, with the scenario position. */
function checkPolicies(loaded: LoadedScenario): void {
  for (const p of loaded.points) {
    const name = p.scenario.scheduler.policy;
    if (!POLICY_NAMES.includes(name)) {
      throw new InvalidScenario([
        `${loaded.file}:1:1: unknown scheduler policy "${name}"; expected one of ${POLICY_NAMES.join(', ')}`,
      ]);
    }
  }
}

export async function writeOutputs(
  outDir: string,
  loaded: LoadedScenario,
  result: RunResult,
  info: { wallTimeS: number; argv: string[]; seed?: number; replications?: number; trace: boolean },
): Promise<void> {
  const params = loaded.sweepParamNames;
  await writeFileAtomic(join(outDir, 'metrics.csv'), metricsCsv(loaded.name, params, result.metricRows));
  await writeFileAtomic(join(outDir, 'summary.csv'), summaryCsv(loaded.name, params, result.summaryRows));
  if (info.trace) {
    const rows: string[][] = [['scenario', 'point', 'replication', 'time_s', 'event', 'node', 'pod', 'workload', 'detail']];
    for (const t of result.trace) {
      rows.push([loaded.name, String(t.point), String(t.replication), formatNumber(t.timeS), t.event, t.node, t.pod, t.workload, t.detail]);
    }
    await writeFileAtomic(join(outDir, 'events.csv'), stringify(rows, { record_delimiter: 'unix' }));
  }
  const first = loaded.points[0]!.scenario;
  await writeFileAtomic(
    join(outDir, 'run.json'),
    buildRunJson({
      version: toolVersion(),
      scenario: loaded.name,
      scenarioHash: sha256Hex(loaded.sourceText),
      commandLine: info.argv,
      seed: info.seed ?? first.seed,
      replications: info.replications ?? first.replications,
      points: loaded.points.length,
      workers: 1,
      wallTimeS: info.wallTimeS,
      eventsProcessed: result.eventsProcessed,
      seeds: result.seeds,
    }),
  );
}
