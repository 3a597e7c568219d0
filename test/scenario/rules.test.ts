// spec.behavior, spec.slo, spec.failures, spec.disruptions and the scenario's own defaults.
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const TWO_DEPLOYMENTS = `  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector: {matchLabels: {app: web}}
        template: {metadata: {labels: {app: web, tier: front}}, spec: {containers: [{name: c}]}}
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec:
        selector: {matchLabels: {app: api}}
        template: {metadata: {labels: {app: api, tier: front}}, spec: {containers: [{name: c}]}}
`;

describe('scenario defaults', () => {
  test('warmup 0, seed 1, replications 1, kube-default, adaptive scoring, no timeseries; name from metadata', () => {
    const s = loaded(load(scenario(''))).points[0]!.scenario;
    expect(s).toMatchObject({
      name: 't',
      file: 's.yaml',
      horizonS: 86400,
      warmupS: 0,
      seed: 1,
      replications: 1,
      scheduler: { policy: 'kube-default', percentageOfNodesToScore: 0 },
      output: { timeseriesStepS: null },
      failures: [],
      disruptions: [],
      sweep: [],
      warnings: [],
    });
    expect(s.nodePools[0]).toEqual({
      name: 'general',
      count: 3,
      capacity: [4000, 17179869184, 0],
      maxPods: 110,
      zones: [],
      labels: {},
      taints: [],
      provisioningTimeS: 0,
      source: { file: 's.yaml', line: 8, col: 9 },
    });
  });

  test('the file name is the default scenario name; warmup must be shorter than the horizon', () => {
    const text = 'apiVersion: kubesim.dev/v1\nkind: Scenario\nspec: {horizon: 1h, warmup: 2h}\n';
    expect(errorsOf(load(text))).toEqual(['s.yaml:3:29: spec.warmup: must be shorter than the horizon (3600s), got 7200s']);
    const l = loaded(load('apiVersion: kubesim.dev/v1\nkind: Scenario\nspec: {horizon: 1h}\n'));
    expect(l.name).toBe('s');
    expect(l.points[0]!.scenario.warnings).toEqual([]);
  });
});

describe('behavior and slo rules', () => {
  test('every matching rule applies in order; later fields override earlier ones', () => {
    const s = loaded(
      load(
        scenario(`${TWO_DEPLOYMENTS}  behavior:
    - matchLabels: {tier: front}
      startup: 5s
      shutdown: 1s
    - match: {kind: Deployment, name: web}
      startup: {dist: exponential, mean: 10s}
      crash: {mtbf: 3d}
      runtime: 20m
  slo:
    - match: {kind: Deployment}
      minReady: 50%
    - match: {name: api}
      minReady: 2
`),
      ),
    ).points[0]!.scenario;
    const by = Object.fromEntries(s.workloads.map((w) => [w.name, [w.behavior, w.minReady]]));
    expect(by.web).toEqual([
      { startup: { dist: 'exponential', mean: 10 }, shutdownS: 1, crash: { dist: 'exponential', mean: 259200 }, runtime: { dist: 'fixed', value: 1200 } },
      { kind: 'percent', value: 50 },
    ]);
    expect(by.api).toEqual([{ startup: { dist: 'fixed', value: 5 }, shutdownS: 1, crash: null, runtime: null }, { kind: 'int', value: 2 }]);
  });

  test('a rule that matches nothing is a warning', () => {
    const l = loaded(
      load(
        scenario(`${TWO_DEPLOYMENTS}  behavior:
    - {match: {kind: Deployment, name: db}, startup: 1s}
  slo:
    - {matchLabels: {tier: back}, minReady: 1}
`),
      ),
    );
    expect(l.warnings).toEqual([
      's.yaml:23:7: warning: spec.behavior[0]: this behavior rule matches no workload',
      's.yaml:25:7: warning: spec.slo[0]: this slo rule matches no workload',
    ]);
  });

  test('errors', () => {
    expect(
      errorsOf(
        load(
          scenario(`${TWO_DEPLOYMENTS}  behavior:
    - {match: {kind: Deployent}, crash: {mtbf: 0s}, startup: {dist: fixed}}
  slo:
    - {minReady: 120%, matchLabels: {tier: 3}}
`),
        ),
      ),
    ).toEqual([
      's.yaml:23:22: spec.behavior[0].match.kind: unsupported value "Deployent" (expected one of Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Pod) (did you mean "Deployment"?)',
      's.yaml:23:48: spec.behavior[0].crash.mtbf must be longer than 0s, got "0s"',
      's.yaml:23:62: spec.behavior[0].startup: missing required field "value"',
      's.yaml:25:18: spec.slo[0].minReady must be at most 100%, got "120%"',
      's.yaml:25:44: spec.slo[0].matchLabels.tier must be a string, got 3 (quote it: "3")',
    ]);
  });
});

describe('failures', () => {
  test('node-crash: recurring (bare mtbf = exponential) or one-off; repair defaults to fixed 1h', () => {
    const s = loaded(
      load(
        scenario(`  failures:
    - {type: node-crash, pools: [general], mtbf: 30d}
    - {type: node-crash, names: [general-2], at: 2h, repair: {dist: uniform, min: 10m, max: 20m}}
    - {type: node-crash, mtbf: {dist: weibull, shape: 1.5, scale: 10d}, repair: 30m}
`),
      ),
    ).points[0]!.scenario;
    expect(s.failures).toEqual([
      {
        type: 'node-crash',
        target: { pools: ['general'], names: [] },
        mtbf: { dist: 'exponential', mean: 2592000 },
        atS: null,
        repair: { dist: 'fixed', value: 3600 },
        source: { file: 's.yaml', line: 10, col: 7 },
      },
      {
        type: 'node-crash',
        target: { pools: [], names: ['general-2'] },
        mtbf: null,
        atS: 7200,
        repair: { dist: 'uniform', min: 600, max: 1200 },
        source: { file: 's.yaml', line: 11, col: 7 },
      },
      {
        type: 'node-crash',
        target: { pools: [], names: [] }, // every node
        mtbf: { dist: 'weibull', shape: 1.5, scale: 864000 },
        atS: null,
        repair: { dist: 'fixed', value: 1800 },
        source: { file: 's.yaml', line: 12, col: 7 },
      },
    ]);
  });

  test('errors', () => {
    expect(
      errorsOf(
        load(
          scenario(`  failures:
    - {type: node-crash, pools: [generl], names: [general-3]}
    - {type: spot-interruption, names: [general-0], mtbf: 2d, notice: 2m}
    - {type: node-crash, at: 1h, mtbf: 1d}
    - {at: 1h}
`),
        ),
      ),
    ).toEqual([
      's.yaml:10:7: spec.failures[0]: set `mtbf` (recurring crashes) or `at` (one crash)',
      's.yaml:10:34: spec.failures[0].pools[0]: no node pool named "generl" (did you mean "general"?)',
      's.yaml:10:51: spec.failures[0].names[0]: no node named "general-3" in the cluster (pool nodes are named <pool>-<index>)',
      's.yaml:11:40: spec.failures[1].names: spot interruptions apply to pools (replacement nodes join the pool): use `pools`',
      's.yaml:12:7: spec.failures[2]: set either `mtbf` or `at`, not both',
      's.yaml:13:7: spec.failures[3]: missing required field "type"',
    ]);
  });

  test('a one-off failure after the horizon is a warning', () => {
    expect(loaded(load(scenario('  failures: [{type: node-crash, at: 2d}]\n'))).warnings).toEqual([
      's.yaml:9:37: warning: spec.failures[0].at: at 172800s is not before the horizon (86400s); it never happens',
    ]);
  });
});

describe('disruptions', () => {
  test('drain: N random nodes or named nodes, kubectl drain flags', () => {
    const s = loaded(
      load(
        scenario(`  disruptions:
    - {type: drain, nodes: 2, at: 2h}
    - type: drain
      names: [general-0, general-1]
      at: 3h
      timeout: 10m
      force: true
      deleteEmptyDirData: true
      uncordonAfter: 30m
    - {type: drain, pools: [general], at: 4h, timeout: 0}
`),
      ),
    ).points[0]!.scenario;
    expect(s.disruptions).toEqual([
      { type: 'drain', target: { pools: [], names: [] }, count: 2, atS: 7200, timeoutS: null, force: false, deleteEmptyDirData: false, uncordonAfterS: null, source: { file: 's.yaml', line: 10, col: 7 } },
      {
        type: 'drain',
        target: { pools: [], names: ['general-0', 'general-1'] },
        count: null,
        atS: 10800,
        timeoutS: 600,
        force: true,
        deleteEmptyDirData: true,
        uncordonAfterS: 1800,
        source: { file: 's.yaml', line: 11, col: 7 },
      },
      // timeout 0 means "wait forever", like kubectl drain --timeout=0
      { type: 'drain', target: { pools: ['general'], names: [] }, count: null, atS: 14400, timeoutS: null, force: false, deleteEmptyDirData: false, uncordonAfterS: null, source: { file: 's.yaml', line: 18, col: 7 } },
    ]);
  });

  test('errors, a rollout of a missing Deployment, traffic to nothing and a wrong cluster autoscaler', () => {
    expect(
      errorsOf(
        load(
          scenario(`  disruptions:
    - {type: drain, nodes: 4, at: 2h}
    - {type: drain, nodes: 1, names: [general-0], at: 2h}
    - {type: drain}
    - {type: rolling-node-upgrade, pools: [general], at: 1d, maxUnavailable: 5}
    - {type: rollout, workload: Deployment/web, at: 1h}
    - {type: drain, at: 1h, force: yes}
  traffic:
    - {service: web, rate: 2000/s}
  autoscaling:
    cluster: {pools: [genral], min: 4, max: 3}
`),
        ),
      ),
    ).toEqual([
      's.yaml:10:28: spec.disruptions[0].nodes: drains 4 nodes but the cluster has only 3',
      's.yaml:11:28: spec.disruptions[1].nodes: use either `nodes` (that many random nodes) or `names`, not both',
      's.yaml:12:7: spec.disruptions[2]: missing required field "at"',
      's.yaml:14:33: spec.disruptions[4].workload: no Deployment, StatefulSet or DaemonSet "Deployment/web" in the scenario (a rollout names a workload as KIND/NAME)',
      's.yaml:15:36: spec.disruptions[5].force must be true or false, got "yes"',
      's.yaml:17:7: spec.traffic[0]: missing required field "serviceTime"',
      's.yaml:17:17: spec.traffic[0].service: no Service or workload named "web"',
      's.yaml:19:23: spec.autoscaling.cluster.pools[0]: no node pool named "genral" (did you mean "general"?)',
      's.yaml:19:45: spec.autoscaling.cluster.max: must be at least min (4), got 3',
    ]);
  });
});
