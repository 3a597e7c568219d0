// Outage statistics and downtime attribution (recorder.ts): outage_mean_s, outage_max_s, and
// downtime_<cause>_s, an outage being charged whole to the cause of the pod loss that began it
// (the outage under way at t = 0 to `scheduling`). Timelines worked by hand.
import { describe, expect, it } from 'vitest';
import { drain, nodeCrash, nodePool, podTemplate, rollout, scenario, workload } from '../../src/bench/synthetic.js';
import type { Disruption, Failure } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const CAUSES = ['scheduling', 'node_crash', 'zone_outage', 'spot_interruption', 'drain', 'rolling_node_upgrade', 'rollout', 'crash', 'other'];

/** The downtime_<cause>_s reported, as {cause: seconds}. */
function byCause(r: ReturnType<typeof run>, subject: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of r.metrics) {
    const c = /^downtime_(.+)_s$/.exec(m.metric);
    if (m.subject === subject && c !== null && CAUSES.includes(c[1]!)) out[c[1]!] = m.value;
  }
  return out;
}

/** 3 nodes of 4 cpu; web: 3 pods of 3 cpu (one per node, no room for a 4th), Ready 5 s after binding. */
function cluster(minReady: number, failures: Failure[], disruptions: Disruption[], horizonS = 1000) {
  return scenario({
    horizonS,
    nodePools: [nodePool({ name: 'general', count: 3 })],
    workloads: [
      workload({
        name: 'web',
        replicas: 3,
        minReady: { kind: 'int', value: minReady },
        template: podTemplate({ labels: { app: 'web' }, cpuMilli: 3000 }),
        behavior: { startup: { dist: 'fixed', value: 5 } },
      }),
    ],
    failures,
    disruptions,
  });
}

const crashAt = (name: string, atS: number, repairS: number) =>
  nodeCrash({ target: { pools: [], names: [name] }, atS, repair: { dist: 'fixed', value: repairS } });
const drainAt = (name: string, atS: number) => drain({ atS, target: { pools: [], names: [name] } });

describe('outage statistics', () => {
  it('node crash: outages 0-5 (startup) and 200-555 (evicted at 200 + 50 + 300, replacement Ready 5 s later)', () => {
    // minReady 3: the crash of general-1 at 200 (repaired at 2000) takes web to 2. Its pod is
    // taint-evicted at 550; the replacement fits nowhere (general-0 and -2 are full, and
    // general-1 is tainted, its terminating pod still holding 3 cpu) until the node returns at
    // 2000: terminating pod removed, replacement bound, Ready at 2005.
    const r = run(cluster(3, [crashAt('general-1', 200, 1800)], [], 3000));
    expect(r.metric('web', 'outages')).toBe(2);
    // downtime = 5 + (2005 - 200) = 1810; mean 1810 / 2 = 905; longest 1805.
    expect(r.metric('web', 'downtime_s')).toBe(1810);
    expect(r.metric('web', 'outage_mean_s')).toBe(905);
    expect(r.metric('web', 'outage_max_s')).toBe(1805);
    expect(byCause(r, 'web')).toEqual({ scheduling: 5, node_crash: 1805, other: 0 });
  });

  it('no outage in the window: outage_mean_s empty (NaN), outage_max_s 0', () => {
    // minReady 1 and no failure: up from t = 5; a warm-up of 10 s hides the startup outage.
    const s = cluster(1, [], []);
    s.warmupS = 10;
    const r = run(s);
    expect(r.metric('web', 'outages')).toBe(0);
    expect(r.metric('web', 'outage_mean_s')).toBeNaN();
    expect(r.metric('web', 'outage_max_s')).toBe(0);
    // Nothing to attribute: no failure, disruption or container crash -> no downtime_<cause>_s.
    expect(byCause(r, 'web')).toEqual({});
  });
});

describe('downtime attribution: the loss that begins an outage takes all of it', () => {
  // minReady 2: one pod lost is fine, the second begins an outage. A drain of general-0
  // evicts its pod (no PDB), whose replacement stays pending (general-0 cordoned, the others
  // full). A crash of general-1 for 100 s stops its pod; on repair the containers restart and
  // are Ready 5 s later (the taint eviction at crash + 350 s is cancelled by the repair).
  it.each([
    // drain first (100: 2 left, no outage), crash at 200 begins it; it ends at 300 + 5.
    { name: 'drain then crash', drainS: 100, crashS: 200, expected: { scheduling: 5, node_crash: 105, drain: 0, other: 0 } },
    // crash first (100: 2 left), drain at 150 begins it; it ends when general-1's pod is
    // Ready again at 200 + 5: all 55 s to the drain, though the crash holds a pod down too.
    { name: 'crash then drain', drainS: 150, crashS: 100, expected: { scheduling: 5, node_crash: 0, drain: 55, other: 0 } },
  ])('$name', ({ drainS, crashS, expected }) => {
    const r = run(cluster(2, [crashAt('general-1', crashS, 100)], [drainAt('general-0', drainS)]));
    expect(byCause(r, 'web')).toEqual(expected);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(r.metric('web', 'downtime_s')).toBe(total);
    expect(r.metric('web', 'outages')).toBe(2);
    expect(r.metric('web', 'outage_max_s')).toBe(total - 5);
  });

  it('charges a drain its whole outage, including the pending time of the replacement', () => {
    // 2 nodes of 4 cpu, 2 pods of 3 cpu, minReady 2. Drain general-1 at 100 (uncordon 60 s
    // after it completes): its pod is evicted (outage begins, cause drain), gone at 130 (30 s
    // grace), the node uncordoned at 190, the replacement bound then and Ready at 195.
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 2 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 2,
          minReady: { kind: 'int', value: 2 },
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 3000 }),
          behavior: { startup: { dist: 'fixed', value: 5 } },
        }),
      ],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['general-1'] }, uncordonAfterS: 60 })],
    });
    const r = run(s);
    expect(byCause(r, 'web')).toEqual({ scheduling: 5, drain: 95, other: 0 });
    expect(r.metric('web', 'downtime_s')).toBe(100);
    // (5 + 95) / 2
    expect(r.metric('web', 'outage_mean_s')).toBe(50);
    expect(r.metric('web', 'outage_max_s')).toBe(95);
  });
});

describe('downtime attribution of rollouts and container crashes', () => {
  it('Recreate rollout: the outage from deleting every old pod is the rollout\'s', () => {
    // 3 pods of 0.5 cpu, minReady 3, Ready 10 s after binding. Rollout at 100 (Recreate): all
    // old pods deleted at 100, gone at 130 (30 s grace), new ones created then, Ready at 140.
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 3 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 3,
          strategy: { type: 'Recreate', maxSurge: { kind: 'int', value: 0 }, maxUnavailable: { kind: 'int', value: 0 } },
          minReady: { kind: 'int', value: 3 },
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 500 }),
          behavior: { startup: { dist: 'fixed', value: 10 } },
        }),
      ],
      disruptions: [rollout('Deployment/web', 100)],
    });
    const r = run(s);
    expect(byCause(r, 'web')).toEqual({ scheduling: 10, rollout: 40, other: 0 });
  });

  it('container crashes: every backoff wait is the crash\'s', () => {
    // As test/sim/crashloop.test.ts: crashes 100 s after each start, restarts after 0, 10, 20,
    // 40, 80, 160 s; startup 0 s (no scheduling outage of positive length).
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 1 })],
      workloads: [workload({ name: 'app', replicas: 1, template: podTemplate({ labels: { app: 'app' } }), behavior: { crash: { dist: 'fixed', value: 100 } } })],
    });
    const r = run(s);
    expect(byCause(r, 'app')).toEqual({ scheduling: 0, crash: 10 + 20 + 40 + 80 + 160, other: 0 });
    // 5 outages of 10 ... 160 s: mean 310 / 5 = 62, longest 160.
    expect(r.metric('app', 'outage_mean_s')).toBe(62);
    expect(r.metric('app', 'outage_max_s')).toBe(160);
  });
});

describe('downtime attribution of zone outages, spot interruptions and rolling upgrades', () => {
  const src = { file: '<code>', line: 1, col: 1 };
  // 6 nodes of 4 cpu over zones a, b, c (general-0 and -3 in a); web: 6 pods of 1 cpu, one
  // per node, minReady 6, Ready 10 s after binding.
  const six = (failures: Failure[], disruptions: Disruption[]) =>
    scenario({
      horizonS: 10_000,
      nodePools: [nodePool({ name: 'general', count: 6, zones: ['a', 'b', 'c'], provisioningTimeS: 60 })],
      workloads: [
        workload({
          name: 'web',
          replicas: 6,
          minReady: { kind: 'int', value: 6 },
          template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000 }),
          behavior: { startup: { dist: 'fixed', value: 10 } },
        }),
      ],
      failures,
      disruptions,
    });

  it('zone outage: 1000 to its pods Ready again at 8200 + 10 (no eviction in a fully disrupted zone)', () => {
    const r = run(six([{ type: 'zone-outage', zone: 'a', atS: 1000, durationS: 7200, source: src }], []));
    // As test/sim/zone-outage.test.ts: down 0-10 (startup) and 1000-8210.
    expect(byCause(r, 'web')).toEqual({ scheduling: 10, zone_outage: 7210, other: 0 });
  });

  it('spot interruption: the notice drain and the deletion are the spot\'s', () => {
    // Pools general (5 nodes) and spot (1 node, interrupted 1000 s after it exists): one pod
    // per node. The notice at 1000 evicts spot-0's pod at once (no PDB); its replacement is
    // bound on a general node (3 cpu free) and Ready at 1010. spot-0 is deleted at 1120 (empty
    // by then); its replacement spot-1 joins at 1180 and is interrupted, empty, at 2180, ...
    const s = six([{ type: 'spot-interruption', target: { pools: ['spot'], names: [] }, mtbf: { dist: 'fixed', value: 1000 }, noticeS: 120, source: src }], []);
    s.nodePools = [nodePool({ name: 'general', count: 5 }), nodePool({ name: 'spot', count: 1, provisioningTimeS: 60 })];
    const r = run(s);
    expect(r.events('spot-notice')[0]).toBe('1000 spot-0');
    expect(byCause(r, 'web')).toEqual({ scheduling: 10, spot_interruption: 10, other: 0 });
  });

  it('rolling node upgrade: each drained node\'s pod is down from its eviction to its replacement\'s Ready', () => {
    // Nodes one at a time from 1000; each eviction (no PDB) is replaced at once on a node not
    // cordoned, Ready 10 s later: 6 outages of 10 s, all the upgrade's.
    const r = run(six([], [{ type: 'rolling-node-upgrade', target: { pools: ['general'], names: [] }, atS: 1000, maxUnavailable: { kind: 'int', value: 1 }, drainTimeoutS: null, onDrainTimeout: 'force', reimageS: 600, source: src }]));
    const c = byCause(r, 'web');
    expect(c).toEqual({ scheduling: 10, rolling_node_upgrade: r.metric('web', 'downtime_s') - 10, other: 0 });
    expect(r.metric('web', 'outages')).toBe(1 + 6);
    expect(c.rolling_node_upgrade).toBe(6 * 10);
  });
});
