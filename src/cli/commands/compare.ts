// `kubesim-des compare SCENARIO --policies a,b,c`: the scenario once per scheduler policy with
// common random numbers (src/sweep/compare.ts); prints each policy's mean per subject and
// metric with the paired difference to the first policy and its 95% CI, and writes
// compare.csv under --out (default results/<scenario name>-compare/), atomically.
//
// compare.csv: scenario,point,<swept params>,subject_kind,subject,metric,policy,mean,
// diff_vs_<first policy>,diff_ci95_low,diff_ci95_high,n

import { isAbsolute, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { stringify } from 'csv-stringify/sync';
import { compareOverrides, comparePolicies, type CompareRow } from '../../sweep/compare.js';
import { writeFileAtomic } from '../../output/atomic-write.js';
import { formatNumber } from '../../output/format.js';
import { formatCount, formatDuration } from '../../output/table.js';
import { POLICY_NAMES } from '../../sim/scheduler/scheduler.js';
import { isPolicyModulePath } from '../../scenario/policy-module.js';
import { loadUserPolicy } from '../../sim/scheduler/user/registry.js';
import { checkReplicationsAndSeed, ensureOutDir, loadOrExit, parseOverrides, parseWorkers, preloadPolicies } from './common.js';
import { Progress } from '../progress.js';
import { UsageError } from '../errors.js';

export interface CompareArgs {
  scenario: string;
  policies: string;
  out?: string;
  seed?: number;
  replications?: number;
  set?: string[];
  workers?: number;
  format: 'table' | 'json';
  quiet: boolean;
}

/** The command's flags, for main.ts: `.command('compare <scenario>', ..., compareBuilder, handler)`. */
export function compareBuilder(y: Argv) {
  return y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario file' })
    .option('policies', {
      type: 'string',
      demandOption: true,
      describe: `Comma-separated scheduler policies, the first being the baseline (${POLICY_NAMES.join(', ')})`,
    })
    .option('out', { type: 'string', describe: 'Output folder (default: results/<scenario name>-compare/)' })
    .option('seed', { type: 'number', describe: "Override the scenario's seed" })
    .option('replications', { type: 'number', describe: "Override the scenario's replications (per policy)" })
    .option('set', { type: 'string', array: true, describe: 'Override a field: PATH=VALUE (repeatable)' })
    .option('workers', {
      type: 'number',
      describe: 'Worker threads (default: the available cores, unless the first second in-process shows the rest too short to pay for starting them; 1 = in-process). compare.csv is the same for any number',
    })
    .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Output format on stdout' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar' })
    .check((a) => {
      checkReplicationsAndSeed(a);
      return true;
    })
    .example('$0 compare scenarios/compare-policies.yaml --policies kube-default,best-fit,worst-fit', 'Three policies, same failures')
    .example('$0 compare scenarios/quickstart.yaml --policies kube-default,most-allocated --replications 50 --format json', 'JSON')
    .example('$0 compare scenarios/compare-policies.yaml --policies kube-default,best-fit --replications 2000 --workers 2', 'On two worker threads');
}

/** Parses and validates `--policies`: known names, no duplicates, at least `min`. Exit 2 otherwise. */
export function parsePolicies(text: string, min = 2): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    // A policy module, relative to the working directory (a scenario's own `policy` is relative to the scenario file).
    if (isPolicyModulePath(name)) {
      names[i] = resolve(name);
      continue;
    }
    if (!POLICY_NAMES.includes(name)) {
      throw new UsageError(`--policies: unknown scheduler policy "${name}"; expected one of ${POLICY_NAMES.join(', ')}`);
    }
  }
  const dup = names.find((name, i) => names.indexOf(name) !== i);
  if (dup !== undefined) throw new UsageError(`--policies: "${dup}" is named twice`);
  if (names.length < min) throw new UsageError(`--policies: expected at least ${min} comma-separated policies, got ${names.length}`);
  return names;
}

export async function compareCommand(args: CompareArgs): Promise<void> {
  const policies = parsePolicies(args.policies);
  const workers = parseWorkers(args.workers);
  // Before loading: the baseline is also the policy the points load with (compareOverrides).
  for (const p of policies) {
    if (!isAbsolute(p)) continue;
    const why = await loadUserPolicy(p);
    if (why !== null) throw new UsageError(`--policies: ${p}: ${why}`);
  }
  const loaded = loadOrExit(args.scenario, compareOverrides(parseOverrides(args.set), policies));
  await preloadPolicies(loaded);
  const outDir = args.out ?? join('results', `${loaded.name}-compare`);
  ensureOutDir(outDir);
  const progress = new Progress(`${loaded.name} x ${policies.length} policies`, !args.quiet && process.stderr.isTTY === true);
  let result;
  try {
    result = await comparePolicies(loaded, {
      policies,
      replications: args.replications,
      seed: args.seed,
      workers,
      onTaskDone: (d, t) => progress.update(d, t),
    });
  } finally {
    progress.finish();
  }
  const paramNames = loaded.sweepParamNames;
  const file = join(outDir, 'compare.csv');
  await writeFileAtomic(file, compareCsv(loaded.name, paramNames, policies[0]!, result.rows));
  if (args.format === 'json') {
    process.stdout.write(`${compareJson(paramNames, result.rows)}\n`);
  } else {
    process.stdout.write(renderCompareTable(result.rows, policies[0]!, paramNames));
    process.stdout.write(`\nwrote ${file}\n`);
  }
}

/** scenario,point,<params>,subject_kind,subject,metric,policy,mean,diff_vs_<baseline>,diff_ci95_low,diff_ci95_high,n */
export function compareHeader(paramNames: readonly string[], baseline: string): string[] {
  return [
    'scenario', 'point', ...paramNames, 'subject_kind', 'subject', 'metric', 'policy',
    'mean', `diff_vs_${baseline}`, 'diff_ci95_low', 'diff_ci95_high', 'n',
  ];
}

/** The whole compare.csv; numbers through formatNumber (NaN as an empty field), LF records. */
export function compareCsv(scenario: string, paramNames: readonly string[], baseline: string, rows: readonly CompareRow[]): string {
  const records = [compareHeader(paramNames, baseline)];
  for (const r of rows) {
    records.push([
      scenario, formatNumber(r.point), ...r.params, r.subjectKind, r.subject, r.metric, r.policy,
      formatNumber(r.mean), formatNumber(r.diff), formatNumber(r.diffCi95Low), formatNumber(r.diffCi95High), formatNumber(r.n),
    ]);
  }
  return stringify(records, { record_delimiter: 'unix' });
}

function compareJson(paramNames: readonly string[], rows: readonly CompareRow[]): string {
  const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return JSON.stringify(
    rows.map((r) => ({
      point: r.point,
      params: Object.fromEntries(paramNames.map((name, i) => [name, r.params[i]!])),
      subjectKind: r.subjectKind,
      subject: r.subject,
      metric: r.metric,
      policy: r.policy,
      mean: finite(r.mean),
      diff: finite(r.diff),
      diffCi95Low: finite(r.diffCi95Low),
      diffCi95High: finite(r.diffCi95High),
      n: r.n,
    })),
    null,
    2,
  );
}

// ---------------------------------------------------------------------------------------------
// The table: one block of rows per (subject, metric), one row per policy.

const MISSING = '-';

/** Formats a value and a signed difference in the metric's unit (as the run table does). */
function formatters(metric: string): { value: (v: number) => string; delta: (v: number) => string } {
  const sign = (v: number, text: string) => (v > 0 && !/^0(\.0*)?( s| pp)?$/.test(text) ? `+${text}` : text);
  if (metric === 'availability' || metric.endsWith('_fraction')) {
    return {
      value: (v) => (Number.isNaN(v) ? MISSING : `${(v * 100).toFixed(4)}%`),
      delta: (v) => (Number.isNaN(v) ? MISSING : sign(v, `${(v * 100).toFixed(4)} pp`)),
    };
  }
  if (metric.endsWith('_s')) return { value: formatDuration, delta: (v) => sign(v, formatDuration(v)) };
  return { value: formatSmall, delta: (v) => sign(v, formatSmall(v)) };
}

/** formatCount, but 2 significant digits below 0.01 so that small allocation shifts still show. */
function formatSmall(v: number): string {
  return v !== 0 && Math.abs(v) < 0.01 ? v.toPrecision(2) : formatCount(v);
}

export function renderCompareTable(rows: readonly CompareRow[], baseline: string, paramNames: readonly string[]): string {
  if (rows.length === 0) return 'no metrics\n';
  const header = ['subject', 'metric', 'policy', 'mean', `diff vs ${baseline}`, '95% CI', 'n'];
  const right = [false, false, false, true, true, true, true];
  const lines: { point: number; heading: string; cells: string[] }[] = [];
  let last = '';
  for (const r of rows) {
    const f = formatters(r.metric);
    const key = `${r.point}\u0000${r.subjectKind}\u0000${r.subject}\u0000${r.metric}`;
    const subject = r.subject === '' || r.subject === r.subjectKind ? r.subjectKind : `${r.subjectKind} ${r.subject}`;
    const isBaseline = r.policy === baseline;
    const ci = !isBaseline && r.n >= 2 ? `[${f.delta(r.diffCi95Low)}, ${f.delta(r.diffCi95High)}]` : MISSING;
    const heading = r.params.length === 0 ? `point ${r.point}` : `point ${r.point}: ${r.params.map((v, i) => `${paramNames[i]}=${v}`).join(', ')}`;
    lines.push({
      point: r.point,
      heading,
      cells: [key === last ? '' : subject, key === last ? '' : r.metric, r.policy, f.value(r.mean), isBaseline ? MISSING : f.delta(r.diff), ci, String(r.n)],
    });
    last = key;
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l.cells[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const multiPoint = new Set(lines.map((l) => l.point)).size > 1;
  const out: string[] = [];
  let point = -1;
  for (const l of lines) {
    if (l.point !== point) {
      if (multiPoint) {
        if (out.length > 0) out.push('');
        out.push(l.heading);
      }
      out.push(fmt(header), widths.map((w) => '-'.repeat(w)).join('  '));
      point = l.point;
    }
    out.push(fmt(l.cells));
  }
  return `${out.join('\n')}\n`;
}
