// timeseries.csv sampling (sim/metrics/timeseries.ts): sample times, right-continuity (a sample
// sees every event at its instant), and the cluster's series on a node crash worked by hand.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine/engine.js';
import { TimeseriesSampler } from '../../src/sim/metrics/timeseries.js';
import { nodeCrash, nodePool, podTemplate, scenario, traffic, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

describe('TimeseriesSampler', () => {
  it.each([
    // [window start, end, step] -> sample times: start + k·step while <= end
    [0, 30, 10, [0, 10, 20, 30]],
    [600, 3000, 400, [600, 1000, 1400, 1800, 2200, 2600, 3000]],
    [600, 2999, 400, [600, 1000, 1400, 1800, 2200, 2600]], // 2999 - 600 = 2399 < 6 · 400
    [0, 0.3, 0.1, [0, 0.1, 0.2, 0.3]], // 3 · 0.1 = 0.30000000000000004 in doubles: clamped to the horizon
  ])('samples [%d, %d] every %d s at %j', (start, end, step, times) => {
    const e = new Engine();
    const ts = new TimeseriesSampler(e, start, end, step);
    ts.register('cluster', 'cluster', 'now', () => e.now);
    ts.start();
    e.run(end);
    const d = ts.finish();
    expect(Array.from(d.timesS)).toEqual(times);
    expect(Array.from(d.values)).toEqual(times);
  });

  it('samples after every event at its instant, even one scheduled after the sample was', () => {
    const e = new Engine();
    let x = 0;
    const set = e.register('set', (v) => void (x = v));
    // At t = 5 an event schedules x = 1 at t = 10: the sample at 10 was scheduled at t = 0,
    // before it, so without the re-queue it would still read 0.
    const later = e.register('later', () => void e.schedule(10, set, 1));
    const ts = new TimeseriesSampler(e, 0, 20, 10);
    ts.register('workload', 'w', 'x', () => x);
    ts.register('cluster', 'cluster', 'x2', () => 2 * x);
    ts.start();
    e.schedule(5, later);
    e.schedule(20, set, 7); // scheduled before the sample at 20 exists; seen by it too
    e.run(20);
    const d = ts.finish();
    expect(d.keys.map((k) => `${k.subjectKind}/${k.subject}/${k.metric}`)).toEqual(['workload/w/x', 'cluster/cluster/x2']);
    // values[i * 2 + k]: (x, 2x) at 0, 10, 20
    expect(Array.from(d.values)).toEqual([0, 0, 1, 2, 7, 14]);
  });
});

describe('timeseries of a node crash', () => {
  // 3 nodes of 4 cpu, web: 3 pods of 1 cpu (one per node), Ready 10 s after binding.
  // general-0 crashes at 1000 and is repaired at 2500. Samples every 400 s from the warm-up
  // (600) to the horizon (3000).
  const s = (step: number | null) =>
    scenario({
      horizonS: 3000,
      warmupS: 600,
      nodePools: [nodePool({ name: 'general', count: 3 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 3,
          minReady: { kind: 'int', value: 3 },
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
          behavior: { startup: { dist: 'fixed', value: 10 } },
        }),
      ],
      failures: [nodeCrash({ target: { pools: [], names: ['general-0'] }, atS: 1000, repair: { dist: 'fixed', value: 1500 } })],
      output: { timeseriesStepS: step },
    });

  it('drops nodes_ready and ready at the crash step and follows the eviction and repair', () => {
    const r = run(s(400));
    const d = r.timeseries!;
    expect(Array.from(d.timesS)).toEqual([600, 1000, 1400, 1800, 2200, 2600, 3000]);
    const series = (subject: string, metric: string) => {
      const k = d.keys.findIndex((x) => x.subject === subject && x.metric === metric);
      return Array.from(d.timesS, (_, i) => d.values[i * d.keys.length + k]);
    };
    expect(d.keys.map((k) => `${k.subjectKind}/${k.subject}/${k.metric}`)).toEqual([
      'workload/web/ready', 'workload/web/pending',
      'pool/general/nodes_ready', 'pool/general/cpu_alloc', 'pool/general/memory_alloc',
      'cluster/cluster/nodes_ready', 'cluster/cluster/cpu_alloc', 'cluster/cluster/memory_alloc',
      'cluster/cluster/pods_pending',
    ]);
    // Machine down at 1000 (the sample at 1000 sees it: right-continuous) until 2500.
    expect(series('general', 'nodes_ready')).toEqual([3, 2, 2, 2, 2, 3, 3]);
    expect(series('cluster', 'nodes_ready')).toEqual([3, 2, 2, 2, 2, 3, 3]);
    // The crashed node's pod stops serving at 1000; it is evicted at 1000 + 50 + 300 = 1350,
    // its replacement bound at once on a live node and Ready at 1360.
    expect(series('web', 'ready')).toEqual([3, 2, 3, 3, 3, 3, 3]);
    expect(series('web', 'pending')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(series('cluster', 'pods_pending')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // cpu requested / allocatable of the 3 nodes (12 cpu): 3 pods = 0.25; from 1350 the
    // terminating pod still holds its cpu on the dead node (removed when it returns at 2500):
    // 4 / 12.
    expect(series('cluster', 'cpu_alloc')).toEqual([0.25, 0.25, 4 / 12, 4 / 12, 4 / 12, 0.25, 0.25]);
  });

  it('leaves the metrics unchanged (sampling only reads)', () => {
    expect(run(s(400)).metrics).toEqual(run(s(null)).metrics);
    expect(run(s(null)).timeseries).toBeNull();
  });

  it('samples a traffic service: utilisation and p99 follow the serving count', () => {
    // web gets 50 req/s of 20 ms exponential work, one request per pod: a = 50 x 0.02 = 1
    // Erlang. 3 pods serve: utilisation a / c = 1/3; while the crashed node's pod is away
    // (samples at 1000, c = 2): 1/2. The p99 response time is longer with fewer servers.
    const sc = s(400);
    sc.traffic = [traffic({ service: 'web', workloads: [0], ratePerS: 50, serviceTime: { dist: 'exponential', mean: 0.02 } })];
    const d = run(sc).timeseries!;
    const series = (metric: string) => {
      const k = d.keys.findIndex((x) => x.subjectKind === 'service' && x.subject === 'web' && x.metric === metric);
      expect(k).toBeGreaterThanOrEqual(0);
      return Array.from(d.timesS, (_, i) => d.values[i * d.keys.length + k]!);
    };
    const util = series('utilization');
    [1 / 3, 1 / 2, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3].forEach((u, i) => expect(util[i]).toBeCloseTo(u, 9));
    const p99 = series('latency_p99_s');
    expect(p99[1]).toBeGreaterThan(p99[0]!);
    expect(p99[2]).toBeCloseTo(p99[0]!, 12);
    // The p99 of a response is at least the p99 of the service time alone: -ln(0.01) x 20 ms.
    expect(p99[0]).toBeGreaterThan(-Math.log(0.01) * 0.02);
  });
});
