// A sweep axis is a column of metrics.csv, summary.csv and compare.csv named by its path; a path
// named like a fixed column (`seed`) would give the file two columns of that name.
import { describe, expect, test } from 'vitest';
import { metricsHeader, summaryHeader } from '../../src/output/csv.js';
import { TIMESERIES_HEADER } from '../../src/sweep/execute.js';
import { compareHeader } from '../../src/cli/commands/compare.js';
import { columnClash, FIXED_COLUMNS } from '../../src/scenario/output-columns.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

describe('sweep axes named like a fixed column', () => {
  test('seed: an error at the axis path, pointing at --seed and replications', () => {
    const errs = errorsOf(load(scenario('  sweep:\n    - {set: seed, values: [1, 2]}\n')));
    // line 10: `    - {set: seed, values: [1, 2]}`, the path at column 13
    expect(errs).toEqual([
      "s.yaml:10:13: spec.sweep[0].set: seed cannot be swept: its column would be a second `seed` column in metrics.csv, whose seed column already holds each task's seed " +
        '(from spec.seed, the point and the replication); use --seed N for another base seed, or more replications for more seeds',
    ]);
  });

  test('beside a valid axis: only the seed axis is refused', () => {
    const errs = errorsOf(load(scenario('  sweep:\n    - {set: replications, values: [1, 2]}\n    - {set: seed, values: [1, 2]}\n')));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^s\.yaml:11:13: spec\.sweep\[1\]\.set: seed cannot be swept/);
  });

  test('--set seed=N adds no column and loads', () => {
    const l = loaded(load(scenario(''), [{ path: 'seed', value: '5' }]));
    expect(l.sweepParamNames).toEqual([]);
    expect(l.points[0]!.scenario.seed).toBe(5);
  });

  test('every fixed column name is refused, and compare.csv diff_vs_*', () => {
    for (const name of ['scenario', 'point', 'replication', 'value', 'mean', 'p99', 'time_s', 'policy', 'diff_vs_kube-default']) {
      expect(columnClash(name)).toMatch(new RegExp(`^${name} cannot be swept: its column would collide with the fixed column "${name}" of `));
    }
    expect(columnClash('n')).toBe('n cannot be swept: its column would collide with the fixed column "n" of summary.csv, compare.csv');
    expect(columnClash('replications')).toBeNull();
    expect(columnClash('workloads[Deployment/web].spec.replicas')).toBeNull();
  });

  test("the lists are the writers' headers", () => {
    expect(FIXED_COLUMNS['metrics.csv']).toEqual(metricsHeader([]));
    expect(FIXED_COLUMNS['summary.csv']).toEqual(summaryHeader([]));
    expect(FIXED_COLUMNS['timeseries.csv']).toEqual(TIMESERIES_HEADER);
    expect([...FIXED_COLUMNS['compare.csv']!, 'diff_vs_x'].sort()).toEqual(compareHeader([], 'x').sort());
  });
});
