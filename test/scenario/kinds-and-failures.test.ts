// New workload kinds (Job) and failure types (zone-outage) read from YAML.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';

const scenario = (job: string) => `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: s}
spec:
  horizon: 1d
  cluster:
    nodePools:
      - {name: g, count: 1, capacity: {cpu: "4", memory: 8Gi}}
  workloads:
${job}`;

describe('Job manifests', () => {
  it('defaults completions and parallelism to 1 and backoffLimit to 6', () => {
    const r = loadScenarioText(
      scenario(`    - {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {template: {metadata: {labels: {a: b}}, spec: {restartPolicy: Never, containers: [{name: c}]}}}}`),
      's.yaml',
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const w = r.loaded.points[0]!.scenario.workloads[0]!;
    expect(w.key).toBe('Job/j');
    expect(w.job).toEqual({ completions: 1, parallelism: 1, backoffLimit: 6, activeDeadlineSeconds: null });
    expect(w.template.restartPolicy).toBe('Never');
  });

  it('keeps completions unset (work queue) when only parallelism is given', () => {
    const r = loadScenarioText(
      scenario(`    - {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {parallelism: 3, backoffLimit: 2, activeDeadlineSeconds: 600, template: {spec: {restartPolicy: OnFailure, containers: [{name: c}]}}}}`),
      's.yaml',
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    expect(r.loaded.points[0]!.scenario.workloads[0]!.job).toEqual({ completions: null, parallelism: 3, backoffLimit: 2, activeDeadlineSeconds: 600 });
  });

  it('rejects restartPolicy Always, as the API does', () => {
    const r = loadScenarioText(
      scenario(`    - {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {template: {spec: {containers: [{name: c}]}}}}`),
      's.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.format())[0]).toMatch(/^s\.yaml:10:\d+: .*restartPolicy OnFailure or Never/);
  });
});

describe('zone-outage failures', () => {
  it('reads zone, at and duration and checks that the zone has nodes', () => {
    const text = (zone: string) => `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: s}
spec:
  horizon: 1d
  cluster:
    nodePools:
      - {name: g, count: 3, capacity: {cpu: "4", memory: 8Gi}, zones: [a, b, c]}
  failures:
    - {type: zone-outage, zone: ${zone}, at: 2h, duration: 30m}
`;
    const ok = loadScenarioText(text('b'), 's.yaml');
    if (!ok.ok) throw new Error(ok.errors.map((e) => e.format()).join('\n'));
    expect(ok.loaded.points[0]!.scenario.failures).toEqual([
      { type: 'zone-outage', zone: 'b', atS: 7200, durationS: 1800, source: { file: 's.yaml', line: 10, col: 7 } },
    ]);
    const bad = loadScenarioText(text('d'), 's.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.format()).toBe('s.yaml:10:33: spec.failures[0].zone: no node is in zone "d" (did you mean "a"?)');
  });
});

describe('rolling-node-upgrade disruptions', () => {
  it('reads the fields with their defaults (maxUnavailable 1, force, reimage 10m)', () => {
    const r = loadScenarioText(
      `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: s}
spec:
  horizon: 1d
  cluster:
    nodePools:
      - {name: g, count: 3, capacity: {cpu: "4", memory: 8Gi}}
  disruptions:
    - {type: rolling-node-upgrade, pools: [g], at: 1h, drainTimeout: 30m}
    - {type: rolling-node-upgrade, at: 2h, maxUnavailable: 50%, onDrainTimeout: skip, reimage: 5m}
`,
      's.yaml',
    );
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const [a, b] = r.loaded.points[0]!.scenario.disruptions;
    expect(a).toMatchObject({ type: 'rolling-node-upgrade', target: { pools: ['g'], names: [] }, atS: 3600, maxUnavailable: { kind: 'int', value: 1 }, drainTimeoutS: 1800, onDrainTimeout: 'force', reimageS: 600 });
    expect(b).toMatchObject({ atS: 7200, maxUnavailable: { kind: 'percent', value: 50 }, drainTimeoutS: null, onDrainTimeout: 'skip', reimageS: 300 });
  });
});

describe('selector requirements', () => {
  it('name the valid operators of label and node selectors', () => {
    const r = loadScenarioText(
      `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: s}
spec:
  horizon: 1d
  cluster:
    nodePools:
      - {name: g, count: 1, capacity: {cpu: "4", memory: 8Gi}}
  workloads:
    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: p}
      spec: {minAvailable: 1, selector: {matchExpressions: [{key: a, operator: Gt, values: ["1"]}]}}
    - apiVersion: v1
      kind: Pod
      metadata: {name: x}
      spec:
        containers: [{name: c}]
        affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Near}, {key: b, operator: Gt, values: ["x"]}]}]}}}
`,
      's.yaml',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.errors.map((e) => e.format().replace(/^s\.yaml:\d+:\d+: /, ''));
    expect(msgs.some((m) => m.endsWith('"Gt" is not a valid selector operator (use In, NotIn, Exists or DoesNotExist)'))).toBe(true);
    expect(msgs.some((m) => m.endsWith('"Near" is not a valid node selector operator (use In, NotIn, Exists, DoesNotExist, Gt or Lt)'))).toBe(true);
    expect(msgs.some((m) => m.endsWith(`must be an integer for 'Lt' or 'Gt', got "x"`))).toBe(true);
  });
});

describe('CronJob manifests', () => {
  const cj = (spec: string) =>
    scenario(`    - {apiVersion: batch/v1, kind: CronJob, metadata: {name: cj}, spec: {${spec}jobTemplate: {spec: {completions: 2, template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}}}`);

  it('reads the schedule and defaults concurrencyPolicy Allow, suspend false (SetDefaults_CronJob)', () => {
    const r = loadScenarioText(cj('schedule: "*/5 * * * *", '), 's.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const w = r.loaded.points[0]!.scenario.workloads[0]!;
    expect(w.key).toBe('CronJob/cj');
    // The schedule as cron-parser reads it with robfig/cron's meaning (see cron-schedule.test.ts).
    expect(w.cronJob).toEqual({ schedule: '0,5,10,15,20,25,30,35,40,45,50,55 * * * *', timeZone: null, concurrencyPolicy: 'Allow', startingDeadlineSeconds: null, suspend: false });
    expect(w.job).toEqual({ completions: 2, parallelism: 1, backoffLimit: 6, activeDeadlineSeconds: null });
  });

  it('maps robfig descriptors and reads the other fields', () => {
    const r = loadScenarioText(cj('schedule: "@midnight", timeZone: Europe/Paris, concurrencyPolicy: Forbid, startingDeadlineSeconds: 300, suspend: true, '), 's.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    expect(r.loaded.points[0]!.scenario.workloads[0]!.cronJob).toEqual({ schedule: '0 0 * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, suspend: true });
  });

  it.each([
    ['schedule: "0 0 * * * *", ', /expected exactly 5 fields .* found 6/],
    ['schedule: "61 * * * *", ', /invalid schedule "61 \* \* \* \*"/],
    ['schedule: "0 0 L * *", ', /`L`, `#` and `H` are not part of Kubernetes' cron syntax/],
    ['schedule: "CRON_TZ=UTC 0 * * * *", ', /use timeZone field instead/],
    ['schedule: "@every 5m", ', /`@every` schedules are not simulated/],
    ['schedule: "@often", ', /unrecognized descriptor: @often/],
    ['schedule: "0 * * * *", timeZone: Mars/Olympus, ', /unknown time zone "Mars\/Olympus"/],
    ['schedule: "0 * * * *", concurrencyPolicy: Sometimes, ', /unsupported value "Sometimes"/],
    ['', /schedule/],
  ])('rejects %s with a positioned error', (spec, message) => {
    const r = loadScenarioText(cj(spec), 's.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const first = r.errors.map((e) => e.format())[0]!;
      expect(first).toMatch(/^s\.yaml:10:\d+: /);
      expect(first).toMatch(message);
    }
  });
});

describe('autoscaling.cluster', () => {
  it('reads pools, bounds and durations, with cluster-autoscaler flag defaults', () => {
    const text = (ca: string) => `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: s}
spec:
  horizon: 1d
  cluster:
    nodePools:
      - {name: g, count: 1, capacity: {cpu: "4", memory: 8Gi}}
      - {name: spot, count: 2, capacity: {cpu: "4", memory: 8Gi}}
  autoscaling:
    cluster: ${ca}
`;
    const r = loadScenarioText(text('{pools: [spot], min: 1, max: 5, scaleDownDelay: 5m}'), 's.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const ca = r.loaded.points[0]!.scenario.autoscaling.cluster!;
    expect({ ...ca, source: undefined }).toEqual({
      pools: [1],
      min: 1,
      max: 5,
      scaleDownUtilization: 0.5,
      scaleDownDelayS: 300,
      scaleDownDelayAfterAddS: 600,
      scanIntervalS: 10,
      maxGracefulTerminationS: 600,
      source: undefined,
    });
    const bad = loadScenarioText(text('{pools: [g], scaleDownUtilization: 1.5}'), 's.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.format()).join('\n')).toMatch(/s\.yaml:11:\d+: .*max/);
  });
});

describe('StatefulSet and DaemonSet update strategies', () => {
  const sts = (strategy: string) =>
    scenario(`    - {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {${strategy}selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}}
    - {apiVersion: apps/v1, kind: DaemonSet, metadata: {name: agent}, spec: {updateStrategy: {type: OnDelete}, selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c}]}}}}
  disruptions:
    - {type: rollout, workload: StatefulSet/db, at: 1h}
    - {type: rollout, workload: DaemonSet/agent, at: 2h}`);

  it('defaults RollingUpdate, partition 0, maxUnavailable 1 (SetDefaults_StatefulSet); reads partition and OnDelete', () => {
    const r = loadScenarioText(sts(''), 's.yaml');
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const [db, agent] = r.loaded.points[0]!.scenario.workloads;
    expect(db!.statefulSet!.updateStrategy).toEqual({ type: 'RollingUpdate', partition: 0, maxUnavailable: { kind: 'int', value: 1 } });
    expect(agent!.strategy.type).toBe('OnDelete');
    expect(r.loaded.points[0]!.scenario.disruptions.map((d) => (d.type === 'rollout' ? d.workload : ''))).toEqual(['StatefulSet/db', 'DaemonSet/agent']);
    const p = loadScenarioText(sts('updateStrategy: {rollingUpdate: {partition: 2, maxUnavailable: 50%}}, '), 's.yaml');
    if (!p.ok) throw new Error(p.errors.map((e) => e.format()).join('\n'));
    expect(p.loaded.points[0]!.scenario.workloads[0]!.statefulSet!.updateStrategy).toEqual({ type: 'RollingUpdate', partition: 2, maxUnavailable: { kind: 'percent', value: 50 } });
  });

  it.each([
    ['updateStrategy: {type: OnDelete, rollingUpdate: {partition: 1}}, ', /only allowed for updateStrategy 'RollingUpdate'/],
    ['updateStrategy: {type: Sometimes}, ', /unsupported value "Sometimes"/],
    ['updateStrategy: {rollingUpdate: {partition: -1}}, ', /partition/],
    ['updateStrategy: {rollingUpdate: {maxUnavailable: 0}}, ', /must be greater than 0/],
  ])('rejects %s with a positioned error', (strategy, message) => {
    const r = loadScenarioText(sts(strategy), 's.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.format())[0]).toMatch(new RegExp(`^s\\.yaml:10:\\d+: .*${message.source}`));
  });
});
