// metricsCsvOf builds metrics.csv records by hand, caching the escaped text per context, point
// and key list: it must give the bytes csv-stringify gives for metricsRecord's fields, whatever
// the names hold, on a cache hit as on a miss.
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { metricsCsvOf } from '../../src/sweep/csv-records.js';
import { metricsRecord } from '../../src/output/csv.js';
import type { CsvContext, MetricKey, TaskSpec } from '../../src/sweep/execute.js';

const keys: MetricKey[] = [
  { subjectKind: 'workload', subject: 'web', metric: 'availability' },
  { subjectKind: 'pool', subject: 'odd,"name"', metric: 'node_failures' },
  { subjectKind: 'service', subject: 'line\nbreak', metric: 'latency_p99_s' },
  { subjectKind: 'cluster', subject: '', metric: 'pods_pending_max' },
];

/** What csv-stringify writes for the same records (the formatter this one replaces). */
function reference(ctx: CsvContext, task: TaskSpec, ks: MetricKey[], values: Float64Array): string {
  const rows = ks.map((k, i) =>
    metricsRecord(ctx.scenarioName, ctx.paramNames, {
      point: task.point, params: ctx.pointParams[task.point]!, replication: task.replication, seed: task.seed,
      subjectKind: k.subjectKind, subject: k.subject, metric: k.metric, value: values[i]!,
    }),
  );
  return stringify(rows, { record_delimiter: 'unix' });
}

describe('metricsCsvOf', () => {
  const ctx: CsvContext = { scenarioName: 'my "scenario"', paramNames: ['replicas', 'policy'], pointParams: [['3', 'best-fit'], ['6', 'a,b']] };
  const cases: { name: string; task: TaskSpec; values: number[] }[] = [
    // 0.1 + 0.2 prints at 12 digits as 0.3; NaN is an empty field; -0 is 0; 2.5e-7 keeps its exponent
    { name: 'point 0, first use (cache miss)', task: { point: 0, replication: 0, seed: 4294967295 }, values: [0.1 + 0.2, NaN, -0, 2.5e-7] },
    { name: 'point 0 again (cache hit)', task: { point: 0, replication: 1, seed: 17 }, values: [Infinity, -Infinity, 1 / 3, 1e21] },
    { name: 'point 1 (quoted parameter)', task: { point: 1, replication: 12, seed: 0 }, values: [1, 2, 3, 4] },
  ];
  for (const c of cases) {
    it(`matches csv-stringify: ${c.name}`, () => {
      const values = Float64Array.from(c.values);
      expect(metricsCsvOf(ctx, c.task, keys, values)).toBe(reference(ctx, c.task, keys, values));
    });
  }

  it('quotes what csv-stringify quotes (a row worked out by hand)', () => {
    const text = metricsCsvOf(ctx, { point: 1, replication: 12, seed: 99 }, keys, Float64Array.from([1, 0.1 + 0.2, NaN, 5]));
    expect(text.split('\n').slice(0, 2)).toEqual([
      '"my ""scenario""",1,6,"a,b",12,99,workload,web,availability,1',
      '"my ""scenario""",1,6,"a,b",12,99,pool,"odd,""name""",node_failures,0.3',
    ]);
    // the line break inside the quoted subject splits the third record over two lines; NaN -> ''
    expect(text.endsWith('service,"line\nbreak",latency_p99_s,\n"my ""scenario""",1,6,"a,b",12,99,cluster,,pods_pending_max,5\n')).toBe(true);
  });

  it('keeps its cache per context: the same point index in another run has other parameters', () => {
    const other: CsvContext = { scenarioName: 's', paramNames: ['replicas'], pointParams: [['9']] };
    const task = { point: 0, replication: 2, seed: 5 };
    const values = Float64Array.from([1, 2, 3, 4]);
    metricsCsvOf(ctx, task, keys, values); // fills ctx's cache for point 0
    expect(metricsCsvOf(other, task, keys, values)).toBe(reference(other, task, keys, values));
    expect(metricsCsvOf(other, task, keys, values).startsWith('s,0,9,2,5,workload,web,availability,1\n')).toBe(true);
  });

  it('writes nothing for no metrics, and refuses a point whose parameter count is wrong', () => {
    expect(metricsCsvOf(ctx, { point: 0, replication: 0, seed: 1 }, [], new Float64Array(0))).toBe('');
    const bad: CsvContext = { scenarioName: 's', paramNames: ['a', 'b'], pointParams: [['1']] };
    expect(() => metricsCsvOf(bad, { point: 0, replication: 0, seed: 1 }, keys, new Float64Array(4))).toThrow(/Expected 2 parameter values at point 0, got 1/);
  });
});
