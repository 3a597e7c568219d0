// The fixed columns of the output files (SPEC section 4). Each sweep axis adds a column named by
// its path as written, between the fixed ones, so an axis named like a fixed column would give a
// file two columns of that name (a CSV reader keeps one, or renames one). The lists are checked
// against the writers' headers in test/scenario/sweep-columns.test.ts.

/** metrics.csv, summary.csv, timeseries.csv and compare.csv, without the swept parameters. */
export const FIXED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'metrics.csv': ['scenario', 'point', 'replication', 'seed', 'subject_kind', 'subject', 'metric', 'value'],
  'summary.csv': ['scenario', 'point', 'subject_kind', 'subject', 'metric', 'n', 'mean', 'stddev', 'ci95_low', 'ci95_high', 'p50', 'p95', 'p99', 'min', 'max'],
  'timeseries.csv': ['scenario', 'point', 'replication', 'time_s', 'subject_kind', 'subject', 'metric', 'value'],
  // and `diff_vs_<baseline policy>`
  'compare.csv': ['scenario', 'point', 'subject_kind', 'subject', 'metric', 'policy', 'mean', 'diff_ci95_low', 'diff_ci95_high', 'n'],
};

const COMPARE_DIFF_PREFIX = 'diff_vs_';

/**
 * Why a sweep axis path cannot be a column (null when it can): it is a fixed column's name. For
 * `seed` the way out is the point: each task's seed is already in the seed column.
 */
export function columnClash(pathText: string): string | null {
  if (pathText === 'seed') {
    return "seed cannot be swept: its column would be a second `seed` column in metrics.csv, whose seed column already holds each task's seed " +
      '(from spec.seed, the point and the replication); use --seed N for another base seed, or more replications for more seeds';
  }
  const files = Object.keys(FIXED_COLUMNS).filter((f) => FIXED_COLUMNS[f]!.includes(pathText));
  if (pathText.startsWith(COMPARE_DIFF_PREFIX)) files.push('compare.csv');
  if (files.length === 0) return null;
  return `${pathText} cannot be swept: its column would collide with the fixed column ${JSON.stringify(pathText)} of ${files.join(', ')}`;
}
