// Kubernetes objects -> workloads, PDBs, nodes and priorities, as the API server would read them.
import { describe, expect, test } from 'vitest';
import type { Scenario } from '../../src/scenario/model.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

/** Loads inline manifests (each item of `workloads`, indented 4 spaces with its `- `). */
function withObjects(objects: string, cluster?: string): Scenario {
  const r = load(scenario(`  workloads:\n${objects}`, cluster));
  return loaded(r).points[0]!.scenario;
}

function objectErrors(objects: string, cluster?: string): string[] {
  return errorsOf(load(scenario(`  workloads:\n${objects}`, cluster)));
}

const DEPLOY = `    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web}]
`;

describe('workloads', () => {
  test('Deployment defaults (kube: SetDefaults_Deployment)', () => {
    const w = withObjects(DEPLOY).workloads[0]!;
    expect(w).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      namespace: 'default',
      key: 'Deployment/web',
      replicas: 1,
      minReadySeconds: 0,
      strategy: { type: 'RollingUpdate', maxSurge: { kind: 'percent', value: 25 }, maxUnavailable: { kind: 'percent', value: 25 } },
      selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
      minReady: { kind: 'int', value: 1 },
      behavior: { startup: { dist: 'fixed', value: 0 }, shutdownS: null, crash: null, runtime: null },
    });
    expect(w.template).toMatchObject({
      requests: [0, 0, 0],
      nonZeroCpuMilli: 100,
      nonZeroMemoryBytes: 209715200,
      terminationGracePeriodS: 30,
      priority: 0,
      priorityClassName: null,
      preemptionPolicy: 'PreemptLowerPriority',
      usesEmptyDir: false,
    });
    expect(w.source).toEqual({ file: 's.yaml', line: 10, col: 7 });
  });

  test('Deployment fields we read', () => {
    const w = withObjects(`    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 5
        minReadySeconds: 10
        strategy: {rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}
        selector:
          matchExpressions: [{key: app, operator: In, values: [web, www]}]
        template:
          metadata: {labels: {app: web}}
          spec:
            terminationGracePeriodSeconds: 5
            nodeName: general-1
            nodeSelector: {disk: ssd}
            tolerations:
              - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
              - {operator: Exists}
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions: [{key: zone, operator: NotIn, values: [c]}]
                      matchFields: [{key: metadata.name, operator: In, values: [general-1]}]
                preferredDuringSchedulingIgnoredDuringExecution:
                  - {weight: 20, preference: {matchExpressions: [{key: cores, operator: Gt, values: ["8"]}]}}
            volumes: [{name: cache}]
            containers: [{name: web, image: nginx, livenessProbe: {httpGet: {path: /, port: 80}}}]
        progressDeadlineSeconds: 600
`).workloads[0]!;
    expect(w.namespace).toBe('shop');
    expect(w.replicas).toBe(5);
    expect(w.minReadySeconds).toBe(10);
    expect(w.strategy).toEqual({ type: 'RollingUpdate', maxSurge: { kind: 'int', value: 2 }, maxUnavailable: { kind: 'int', value: 0 } });
    expect(w.selector.matchExpressions).toEqual([{ key: 'app', operator: 'In', values: ['web', 'www'] }]);
    const t = w.template;
    expect(t.terminationGracePeriodS).toBe(5);
    expect(t.nodeName).toBe('general-1');
    expect(t.nodeSelector).toEqual({ disk: 'ssd' });
    expect(t.tolerations).toEqual([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 60 },
      { key: '', operator: 'Exists', value: '', effect: '', tolerationSeconds: null },
    ]);
    expect(t.requiredNodeAffinity).toEqual([
      {
        matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['c'] }],
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['general-1'] }],
      },
    ]);
    expect(t.preferredNodeAffinity).toEqual([{ weight: 20, preference: { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }], matchFields: [] } }]);
    // A volume with no source is an emptyDir (kube: SetDefaults_Volume).
    expect(t.usesEmptyDir).toBe(true);
  });

  test('ReplicaSet, DaemonSet and bare Pod', () => {
    const s = withObjects(`    - apiVersion: apps/v1
      kind: ReplicaSet
      metadata: {name: rs}
      spec:
        replicas: 3
        selector: {matchLabels: {app: rs}}
        template: {metadata: {labels: {app: rs}}, spec: {containers: [{name: c}]}}
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: ds}
      spec:
        selector: {matchLabels: {app: ds}}
        template: {metadata: {labels: {app: ds}}, spec: {containers: [{name: c}]}}
    - apiVersion: v1
      kind: Pod
      metadata: {name: solo, labels: {app: solo}}
      spec: {containers: [{name: c}]}
`);
    expect(s.workloads.map((w) => [w.key, w.replicas])).toEqual([
      ['ReplicaSet/rs', 3],
      ['DaemonSet/ds', 0], // the simulation's DaemonSet controller decides, one per eligible node
      ['Pod/solo', 1],
    ]);
    // kube: SetDefaults_DaemonSet: RollingUpdate, maxUnavailable 1, maxSurge 0.
    expect(s.workloads[1]!.strategy).toEqual({ type: 'RollingUpdate', maxSurge: { kind: 'int', value: 0 }, maxUnavailable: { kind: 'int', value: 1 } });
    expect(s.workloads[2]!.selector).toEqual({ matchLabels: { app: 'solo' }, matchExpressions: [] });
  });

  test('kind: List items are read; Service is silent; other kinds are warnings', () => {
    const r = load(
      scenario(`  workloads:
    - apiVersion: v1
      kind: List
      items:
        - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {ports: [{port: 80}]}}
        - {apiVersion: v1, kind: ConfigMap, metadata: {name: cfg}}
        - {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}
        - {apiVersion: batch/v1, kind: CronJob, metadata: {name: cj}, spec: {schedule: "@hourly", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}}}
        - {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db}, spec: {podManagementPolicy: Parallel, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}}
        - {apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: web}}
        - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}}
`),
    );
    const l = loaded(r);
    expect(l.points[0]!.scenario.workloads.map((w) => w.key)).toEqual(['Job/j', 'CronJob/cj', 'StatefulSet/db', 'Pod/p']);
    expect(l.warnings).toEqual([
      's.yaml:14:11: warning: ConfigMap "cfg": skipped: kind ConfigMap (v1) is not used by the simulator',
      's.yaml:18:24: warning: HorizontalPodAutoscaler "web": apiVersion: skipped: autoscaling/v1 HorizontalPodAutoscalers are not read; write it as autoscaling/v2 (metrics[].resource.target.averageUtilization)',
    ]);
  });

  test('errors the API server would return', () => {
    expect(
      objectErrors(`    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: a}
      spec:
        selector: {matchLabels: {app: x}}
        template: {metadata: {labels: {app: a, tier: 1}}, spec: {containers: [{name: c}]}}
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: b}
      spec:
        strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: "0%"}}
        selector: {}
        template: {metadata: {labels: {app: b}}, spec: {containers: []}}
    - apiVersion: extensions/v1beta1
      kind: Deployment
      metadata: {name: c}
    - apiVersion: v1
      kind: Pod
      metadata: {name: Bad_Name}
    - apiVersion: v1
      kind: Pod
      metadata: {name: a}
      spec:
        containers: [{name: c}]
        tolerations: [{key: k, operator: Exists, value: v}, {operator: Equal, value: v}, {key: k, effect: NoSchedule, tolerationSeconds: 5}]
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: a, namespace: other}
      spec: {}
`),
    ).toEqual([
      // line 15: template labels of Deployment a
      's.yaml:15:39: Deployment "a": spec.template.metadata.labels: `selector` does not match template `labels`',
      's.yaml:15:54: Deployment "a": spec.template.metadata.labels.tier must be a string, got 1 (quote it: "1")',
      's.yaml:20:65: Deployment "b": spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0',
      's.yaml:21:19: Deployment "b": spec.selector: empty selector is invalid for deployment',
      's.yaml:22:69: Deployment "b": spec.template.spec.containers: must list at least one container',
      's.yaml:23:19: Deployment "c": apiVersion: Deployment is not served at "extensions/v1beta1" by Kubernetes v1.34; use apps/v1',
      `s.yaml:28:24: Pod "Bad_Name": metadata.name: "Bad_Name" is not a valid name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      "s.yaml:34:57: Pod \"a\": spec.tolerations[0].value: value must be empty when `operator` is 'Exists'",
      's.yaml:34:72: Pod "a": spec.tolerations[1].operator: operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "s.yaml:34:107: Pod \"a\": spec.tolerations[2].effect: effect must be 'NoExecute' when `tolerationSeconds` is set",
      's.yaml:37:24: Deployment "a": metadata.name: Deployment "a" is also defined in namespace "default" (s.yaml:10:7); workload KIND/NAME keys must be unique in a scenario',
    ]);
  });
});

describe('PodDisruptionBudget', () => {
  const pdb = (spec: string, name = 'web'): string => `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: ${name}}
      spec: ${spec}
`;

  test('minAvailable / maxUnavailable as int or percent; unhealthyPodEvictionPolicy', () => {
    const s = withObjects(
      pdb('{minAvailable: 2, selector: {matchLabels: {app: web}}}', 'a') +
        pdb('{maxUnavailable: "25%", unhealthyPodEvictionPolicy: AlwaysAllow, selector: {}}', 'b'),
    );
    expect(s.pdbs).toEqual([
      {
        name: 'a',
        namespace: 'default',
        selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
        minAvailable: { kind: 'int', value: 2 },
        maxUnavailable: null,
        unhealthyPodEvictionPolicy: 'IfHealthyBudget',
        source: { file: 's.yaml', line: 10, col: 7 },
      },
      {
        name: 'b',
        namespace: 'default',
        selector: { matchLabels: {}, matchExpressions: [] }, // an empty selector selects the whole namespace (policy/v1)
        minAvailable: null,
        maxUnavailable: { kind: 'percent', value: 25 },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        source: { file: 's.yaml', line: 14, col: 7 },
      },
    ]);
  });

  test('errors', () => {
    expect(
      objectErrors(
        pdb('{minAvailable: 1, maxUnavailable: 1, selector: {}}', 'a') +
          pdb('{selector: {}}', 'b') +
          pdb('{minAvailable: "120%", selector: {}}', 'c') +
          pdb('{minAvailable: "3", selector: {}}', 'd') +
          pdb('{minAvailable: -1, selector: {}}', 'e') +
          pdb('{minAvailable: 1, unhealthyPodEvictionPolicy: Always, selector: {}}', 'f') +
          pdb('{minAvailable: 1, selector: {matchExpressions: [{key: app, operator: In}]}}', 'g') +
          pdb('{minAvailable: 1, selector: {}}', 'g'),
      ),
    ).toEqual([
      's.yaml:13:13: PodDisruptionBudget "a": spec: minAvailable and maxUnavailable cannot be both set',
      's.yaml:17:13: PodDisruptionBudget "b": spec: set one of minAvailable or maxUnavailable (with neither, Kubernetes allows no eviction at all)',
      's.yaml:21:28: PodDisruptionBudget "c": spec.minAvailable must be at most 100%, got "120%"',
      's.yaml:25:28: PodDisruptionBudget "d": spec.minAvailable must be an integer or a percentage such as "25%", got "3"',
      's.yaml:29:28: PodDisruptionBudget "e": spec.minAvailable must be >= 0, got -1',
      's.yaml:33:59: PodDisruptionBudget "f": spec.unhealthyPodEvictionPolicy: unsupported value "Always": supported values: "AlwaysAllow", "IfHealthyBudget"',
      "s.yaml:37:61: PodDisruptionBudget \"g\": spec.selector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'",
      's.yaml:40:24: PodDisruptionBudget "g": metadata.name: PodDisruptionBudget "g" already exists in namespace "default" (first defined at s.yaml:34:7)',
    ]);
  });

  test('no selector: selects nothing in policy/v1, skipped with a warning', () => {
    const r = load(scenario(`  workloads:\n${pdb('{minAvailable: 1}')}`));
    expect(loaded(r).points[0]!.scenario.pdbs).toEqual([]);
    expect(loaded(r).warnings).toEqual([
      's.yaml:13:13: warning: PodDisruptionBudget "web": spec.selector: a PodDisruptionBudget without a selector selects no pods (policy/v1); ignored',
    ]);
  });
});

describe('PriorityClass and priority admission', () => {
  const pc = (name: string, rest: string): string => `    - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: ${name}}, ${rest}}\n`;
  const pod = (name: string, spec = ''): string =>
    `    - {apiVersion: v1, kind: Pod, metadata: {name: ${name}}, spec: {${spec}containers: [{name: c}]}}\n`;

  test('named classes, the globalDefault class, and the built-in system classes', () => {
    const s = withObjects(
      pod('a', 'priorityClassName: high, ') +
        pod('b') +
        pod('c', 'priorityClassName: system-node-critical, ') +
        pc('high', 'value: 1000') +
        pc('batch', 'value: -5, globalDefault: true, preemptionPolicy: Never'),
    );
    const t = Object.fromEntries(s.workloads.map((w) => [w.name, [w.template.priorityClassName, w.template.priority, w.template.preemptionPolicy]]));
    expect(t).toEqual({
      a: ['high', 1000, 'PreemptLowerPriority'],
      b: ['batch', -5, 'Never'], // no class named: the globalDefault class applies
      c: ['system-node-critical', 2000001000, 'PreemptLowerPriority'],
    });
    expect(s.priorityClasses).toEqual({
      'system-node-critical': { value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' },
      'system-cluster-critical': { value: 2000000000, preemptionPolicy: 'PreemptLowerPriority' },
      high: { value: 1000, preemptionPolicy: 'PreemptLowerPriority' },
      batch: { value: -5, preemptionPolicy: 'Never' },
    });
  });

  test('errors', () => {
    expect(
      objectErrors(
        pod('a', 'priorityClassName: hihg, ') +
          pc('high', 'value: 1000, globalDefault: true') +
          pc('other', 'value: 1, globalDefault: true') +
          pc('huge', 'value: 2000000000') +
          pc('system-mine', 'value: 1'),
      ),
    ).toEqual([
      's.yaml:10:82: Pod "a": spec.priorityClassName: no PriorityClass with name "hihg" was found (did you mean "high"?)',
      's.yaml:12:113: PriorityClass "other": globalDefault: PriorityClass "high" is already marked as default (s.yaml:11:7); only one default can exist',
      's.yaml:13:94: PriorityClass "huge": value must be <= 1000000000, got 2000000000',
      "s.yaml:14:80: PriorityClass \"system-mine\": metadata.name: priority class names with 'system-' prefix are reserved for system use only",
    ]);
  });
});

describe('Node manifests', () => {
  test('spec.cluster.nodes and Node objects from manifests', () => {
    const s = loaded(
      load(`apiVersion: kubesim.dev/v1
kind: Scenario
spec:
  horizon: 1d
  cluster:
    nodePools: [{name: pool, count: 2, capacity: {cpu: 2, memory: 4Gi}}]
    nodes:
      - apiVersion: v1
        kind: Node
        metadata: {name: big-1, labels: {kubernetes.io/hostname: big-1}}
        spec:
          unschedulable: true
          taints: [{key: dedicated, value: db, effect: NoSchedule}]
        status:
          capacity: {cpu: "64", memory: 256Gi, pods: "250"}
          allocatable: {cpu: 63500m, memory: 250Gi, pods: "250", ephemeral-storage: 1Ti, attachable-volumes-aws-ebs: "25", example.com/dongle: "2"}
  workloads:
    - {apiVersion: v1, kind: Node, metadata: {name: small}, status: {capacity: {cpu: 1, memory: 1Gi}}}
`),
    ).points[0]!.scenario;
    expect(s.resourceNames).toEqual(['cpu', 'memory', 'ephemeral-storage', 'example.com/dongle']);
    expect(s.nodes).toEqual([
      {
        name: 'big-1',
        capacity: [63500, 268435456000, 1099511627776, 2], // allocatable, not capacity; attachable-volumes ignored
        maxPods: 250,
        labels: { 'kubernetes.io/hostname': 'big-1' },
        taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }],
        unschedulable: true,
        source: { file: 's.yaml', line: 8, col: 9 },
      },
      {
        name: 'small',
        capacity: [1000, 1073741824, 0, 0], // status.capacity when allocatable is absent (kube: SetDefaults_NodeStatus)
        maxPods: 110, // kubelet default MaxPods
        labels: {},
        taints: [],
        unschedulable: false,
        source: { file: 's.yaml', line: 18, col: 7 },
      },
    ]);
  });

  test('errors', () => {
    expect(
      errorsOf(
        load(`apiVersion: kubesim.dev/v1
kind: Scenario
spec:
  horizon: 1d
  cluster:
    nodePools: [{name: pool, count: 2, capacity: {cpu: 2, memory: 4Gi}}]
    nodes:
      - {apiVersion: v1, kind: Node, metadata: {name: pool-1}, status: {allocatable: {cpu: 1, memory: 1Gi}}}
      - {apiVersion: v1, kind: Node, metadata: {name: n}, spec: {taints: [{key: a, effect: NoScedule}]}}
      - {apiVersion: v1, kind: Pod, metadata: {name: p}}
  workloads:
    - {apiVersion: v1, kind: Node, metadata: {name: n}, status: {allocatable: {cpu: 1, memory: 1Gi}}}
`),
      ),
    ).toEqual([
      's.yaml:8:9: Node "pool-1": the name is taken by node 1 of pool "pool"',
      's.yaml:9:9: Node "n": a Node needs status.allocatable (or status.capacity) to be simulated',
      's.yaml:9:92: Node "n": spec.taints[0].effect: unsupported taint effect "NoScedule" (use NoSchedule, PreferNoSchedule or NoExecute) (did you mean "NoSchedule"?)',
      's.yaml:10:32: Pod "p": kind: spec.cluster.nodes holds v1 Node manifests only; put other objects under spec.workloads or spec.manifests',
      's.yaml:12:53: Node "n": metadata.name: Node "n" already exists (first defined at s.yaml:9:9)',
    ]);
  });
});
