// timeseriesCsvOf builds timeseries.csv records by hand for speed: it must give the bytes
// csv-stringify gives for the same rows (quoting, number format), whatever the names hold.
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { timeseriesCsvOf } from '../../src/sweep/execute.js';
import { formatNumber } from '../../src/output/format.js';
import type { SeriesKey, TimeseriesData } from '../../src/sim/metrics/timeseries.js';

describe('timeseriesCsvOf', () => {
  it('matches csv-stringify row by row, with quoting and special values', () => {
    const keys: SeriesKey[] = [
      { subjectKind: 'workload', subject: 'web', metric: 'ready' },
      { subjectKind: 'pool', subject: 'odd,"name"', metric: 'nodes_ready' },
      { subjectKind: 'service', subject: 'line\nbreak', metric: 'latency_p99_s' },
    ];
    const ts: TimeseriesData = {
      keys,
      timesS: Float64Array.from([600, 900.5, 1e7]),
      values: Float64Array.from([3, 0.1 + 0.2, NaN, Infinity, -0, 1 / 3, 2.5e-7, 1e21, -Infinity]),
    };
    const rows: string[][] = [];
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        const key = keys[k]!;
        rows.push(['my "scenario"', '2', '7', formatNumber(ts.timesS[i]!), key.subjectKind, key.subject, key.metric, formatNumber(ts.values[i * 3 + k]!)]);
      }
    }
    const text = timeseriesCsvOf('my "scenario"', { point: 2, replication: 7, seed: 1 }, ts);
    expect(text).toBe(stringify(rows, { record_delimiter: 'unix' }));
    // e.g. the second row: quoted scenario and pool names, 0.30000000000000004 at 12 digits -> 0.3
    expect(text.split('\n')[1]).toBe('"my ""scenario""",2,7,600,pool,"odd,""name""",nodes_ready,0.3');
  });

  it('writes nothing for no samples', () => {
    expect(timeseriesCsvOf('s', { point: 0, replication: 0, seed: 1 }, { keys: [], timesS: new Float64Array(0), values: new Float64Array(0) })).toBe('');
  });
});
