import { describe, expect, test } from 'vitest';
import { differenceRange, SHARE_METRICS, valueRange } from '../../src/sweep/metric-ranges.js';
import { summaryRow } from '../../src/sweep/run.js';

const head = (metric: string) => ({ point: 0, params: [], subjectKind: 'workload', subject: 'web', metric });

describe('which metrics are shares', () => {
  test('the shares get [0, 1] and their differences [-1, 1]; the rest no range', () => {
    expect([...SHARE_METRICS]).toEqual(['availability', 'dropped_fraction', 'utilization_mean']);
    for (const m of SHARE_METRICS) {
      expect(valueRange(m)).toEqual({ lo: 0, hi: 1 });
      expect(differenceRange(m)).toEqual({ lo: -1, hi: 1 });
    }
    for (const m of ['downtime_s', 'outages', 'cpu_alloc_mean', 'ready_mean']) {
      expect(valueRange(m)).toBeUndefined();
      expect(differenceRange(m)).toBeUndefined();
    }
  });

  test.each([
    // Same values, two metrics. [0, 0, 0.1]: mean 1/30, s = 0.057735027, n = 3
    // downtime_s: Student's t, 1/30 -/+ 4.302652730 * 0.057735027 / sqrt(3) = [-0.110088424, 0.176755091], not clipped at 0
    ['downtime_s', -0.11008842432, 0.17675509099],
    // availability: the bounded interval (worked in test/stats/summary.test.ts) = [0.001581769, 0.428747427]
    ['availability', 0.0015817693277284106, 0.4287474265708143],
  ])('summary.csv row of %s from [0, 0, 0.1]: [%d, %d]', (metric, lo, hi) => {
    const s = summaryRow(head(metric), new Float64Array([0, 0, 0.1])).summary;
    expect(s.ci95Low).toBeCloseTo(lo, 9);
    expect(s.ci95High).toBeCloseTo(hi, 9);
  });
});
