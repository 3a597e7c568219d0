#!/usr/bin/env node
// kubesim-des command line (SPEC section 1). Commands live in ./commands; this file only
// declares flags, dispatches, and turns errors into exit codes: 2 for bad input (no stack
// trace), 1 for internal errors (with the seed and point that reproduce them).

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { join } from 'node:path';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { schemaCommand } from './commands/schema.js';
import { benchCommand, checkBenchFlags } from './commands/bench.js';
import { compareBuilder, compareCommand, parsePolicies } from './commands/compare.js';
import { schedulerBenchCommand } from '../bench/scheduler.js';
import { mergeCommand } from './commands/merge.js';
import { checkReplicationsAndSeed, InvalidScenario } from './commands/common.js';
import { EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_INVALID, Interrupted, UsageError } from './errors.js';
import { TaskError, TaskFailures } from '../sweep/run.js';
import { PACKAGE_ROOT, toolVersion } from './version.js';

const QUICKSTART = join(PACKAGE_ROOT, 'scenarios', 'quickstart.yaml');

async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('kubesim-des')
    .usage(
      'kubesim-des: what availability and latency will my workloads see?\n\n' +
        'Simulates a Kubernetes cluster (real manifests, kube-scheduler rules, controllers,\n' +
        'node failures, PDB-gated drains) over simulated days, many times, and reports\n' +
        'availability and scheduling figures with confidence intervals.\n\n' +
        'Usage: $0 <command> [options]',
    )
    .command(
      'run [scenario]',
      'Run every sweep point x replication; print a summary, write metrics.csv, summary.csv, run.json',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'Scenario file', default: QUICKSTART, defaultDescription: 'the built-in scenarios/quickstart.yaml' })
          .option('out', { type: 'string', describe: 'Output folder (default: results/<scenario name>/)' })
          .option('seed', { type: 'number', describe: "Override the scenario's seed" })
          .option('replications', { type: 'number', describe: "Override the scenario's replications" })
          .option('set', { type: 'string', array: true, describe: 'Override a field: PATH=VALUE, e.g. scheduler.policy=most-allocated (repeatable)' })
          .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Summary format on stdout' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar' })
          .option('trace', { type: 'boolean', default: false, describe: 'Also write events.csv (every pod and node event)' })
          .option('workers', { type: 'number', describe: 'Worker threads (default: the available cores, unless the first second in-process shows the rest too short to pay for starting them; 1 = in-process)' })
          .option('only', { type: 'string', describe: 'Run just one task, POINT:REPLICATION (same numbers as in the full run)' })
          .option('shard', { type: 'string', describe: 'Run the I-th of N slices (task index % N == I), I/N; default from JOB_COMPLETION_INDEX with N from KUBESIM_SHARDS' })
          .option('target-ci', { type: 'string', describe: 'METRIC=HALFWIDTH: run replications in batches (of --replications, or the scenario\'s) until every point\'s and subject\'s 95% CI half-width of METRIC is at most HALFWIDTH; needs --max-replications' })
          .option('max-replications', { type: 'number', describe: 'With --target-ci: stop at this many replications per point even if the target is not met' })
          .option('resume', { type: 'boolean', default: false, describe: 'Finish an interrupted run (Ctrl-C, exit 130): skip the tasks recorded in OUT/.partial; same files as an uninterrupted run' })
          .check((a) => {
            checkReplicationsAndSeed(a);
            return true;
          })
          .example('$0 run scenarios/web-under-failures.yaml', 'Run a scenario with its own seed and replications')
          .example('$0 run scenarios/drain-tight-pdb.yaml --set "workloads[Deployment/web].spec.replicas=8"', 'Override one field')
          .example('$0 run scenarios/quickstart.yaml --replications 100 --quiet --format json', 'Machine-readable summary'),
      async (a) => {
        await runCommand(
          {
            scenario: a.scenario as string,
            out: a.out,
            seed: a.seed,
            replications: a.replications,
            set: a.set,
            format: a.format,
            quiet: a.quiet,
            trace: a.trace,
            workers: a.workers,
            only: a.only,
            shard: a.shard,
            resume: a.resume,
            targetCi: a.targetCi,
            maxReplications: a.maxReplications,
          },
          argv,
        );
      },
    )
    .command(
      'compare <scenario>',
      'Run the scenario once per scheduler policy with common random numbers; print each mean and the paired difference to the first policy with its 95% CI; write compare.csv',
      compareBuilder,
      (a) =>
        compareCommand({
          scenario: a.scenario,
          policies: a.policies,
          out: a.out,
          seed: a.seed,
          replications: a.replications,
          set: a.set,
          workers: a.workers,
          format: a.format,
          quiet: a.quiet,
        }),
    )
    .command(
      'validate <scenario>',
      'Check a scenario file: print ok and a census, or every error as FILE:LINE:COL: message (exit 2)',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('set', { type: 'string', array: true, describe: 'Override a field: PATH=VALUE (repeatable)' }),
      (a) => validateCommand({ scenario: a.scenario as string, set: a.set }),
    )
    .command(
      'merge <dirs..>',
      'Merge the folders of run --shard I/N (all N) into the files one run would have written',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'Shard output folders' })
          .option('out', { type: 'string', demandOption: true, describe: 'Output folder' })
          .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Summary format on stdout' }),
      (a) => mergeCommand({ dirs: a.dirs as string[], out: a.out, format: a.format }, argv),
    )
    .command('schema', 'Print the JSON Schema of the scenario file (for editor completion)', {}, () => schemaCommand())
    .command(
      'bench',
      'Run the built-in performance benchmark (1,000 nodes, 30,000 pods, node failures, 30 days) and print its figures',
      (y) =>
        y
          .option('runs', { type: 'number', default: 5, describe: 'Timed runs (the median is reported)' })
          .option('nodes', { type: 'number', defaultDescription: '1000 (--scheduler: 5000)' })
          .option('pods', { type: 'number', defaultDescription: '30000 (--scheduler: 150000)' })
          .option('days', { type: 'number', default: 30 })
          .option('scheduler', { type: 'boolean', default: false, describe: 'The scheduler benchmark instead: pods/s of every policy placing --pods pods onto --nodes nodes, vs two naive LeastAllocated baselines (all nodes; adaptive sample)' })
          .option('policies', { type: 'string', describe: 'With --scheduler: comma-separated policies (default: all)' }),
      (a) => {
        checkBenchFlags(a);
        return a.scheduler
          ? schedulerBenchCommand({
              runs: a.runs,
              nodes: a.nodes ?? 5000,
              pods: a.pods ?? 150000,
              policies: a.policies === undefined ? undefined : parsePolicies(a.policies, 1),
            })
          : benchCommand({ runs: a.runs, nodes: a.nodes ?? 1000, pods: a.pods ?? 30000, days: a.days });
      },
    )
    .demandCommand(1, 'Name a command: run, compare, validate, merge, schema or bench (see --help)')
    .strict()
    .version(toolVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`kubesim-des: ${msg}\nRun kubesim-des --help for usage.\n`);
      process.exit(EXIT_INVALID);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((err: unknown) => {
  if (err instanceof InvalidScenario) {
    for (const line of err.lines) process.stderr.write(`${line}\n`);
    process.exit(EXIT_INVALID);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`kubesim-des: ${err.message}\n`);
    process.exit(EXIT_INVALID);
  }
  if (err instanceof Interrupted) {
    process.stderr.write(`kubesim-des: ${err.message}\n`);
    process.exit(EXIT_INTERRUPTED);
  }
  if (err instanceof TaskFailures) {
    process.stderr.write(`kubesim-des: ${err.message}; no ${err.unwritten} written:\n`);
    for (const f of err.failures) process.stderr.write(`  ${f.message}\n`);
    const first = err.failures[0]?.cause;
    if (first instanceof Error && first.stack) process.stderr.write(`the first failure's stack:\n${first.stack}\n`);
    process.exit(EXIT_INTERNAL);
  }
  if (err instanceof TaskError) {
    process.stderr.write(`kubesim-des: internal error: ${err.message}\n`);
    if (err.cause instanceof Error && err.cause.stack) process.stderr.write(`${err.cause.stack}\n`);
    process.exit(EXIT_INTERNAL);
  }
  const sys = err as NodeJS.ErrnoException;
  if (err instanceof Error && typeof sys.code === 'string' && typeof sys.syscall === 'string') {
    // The system refused (disk full, a file removed under the run): its message names the call
    // and the path; a stack trace would only point at our code.
    process.stderr.write(`kubesim-des: ${err.message}\n`);
    process.exit(EXIT_INTERNAL);
  }
  process.stderr.write(`kubesim-des: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT_INTERNAL);
});
