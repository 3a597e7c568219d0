// Manifests the Kubernetes v1.34 API server rejects are rejected here too, at the offending node,
// each rule after the upstream validation function named in its test; the valid neighbours of
// each rejected case load.
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

/** A 63-character label value (the longest valid one) and a 70-character one. */
const V63 = 'v'.repeat(63);
const V70 = 'v'.repeat(70);

const NAME_CHARS = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const BAD_NAME = `name part ${NAME_CHARS} (e.g. 'MyName', 'my.name' or '123-abc')`;
const BAD_VALUE = `a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')`;

describe('label keys and values (kube: apimachinery validation.IsQualifiedName, IsValidLabelValue; metav1validation.ValidateLabels, ValidateLabelSelector)', () => {
  test('template labels, metadata.labels, selector matchLabels and matchExpressions', () => {
    expect(
      errorsOf(
        load(
          scenario(`  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {team: "a b"}
      spec:
        selector:
          matchLabels: {"bad key!": web}
          matchExpressions:
            - {key: "a/b/c", operator: In, values: [x]}
            - {key: tier, operator: NotIn, values: [ok, "${V70}"]}
        template:
          metadata: {labels: {"bad key!": web, a/b/c: x, tier: front}}
          spec: {containers: [{name: c}]}
`),
        ),
      ),
    ).toEqual([
      `s.yaml:14:24: Deployment "web": metadata.labels.team: invalid label value "a b": ${BAD_VALUE}`,
      `s.yaml:17:25: Deployment "web": spec.selector.matchLabels["bad key!"]: invalid label key "bad key!": ${BAD_NAME}`,
      `s.yaml:19:21: Deployment "web": spec.selector.matchExpressions[0].key: invalid label key "a/b/c": a qualified name ${NAME_CHARS}, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      `s.yaml:20:57: Deployment "web": spec.selector.matchExpressions[1].values[1]: invalid label value "${V70}": must be no more than 63 characters`,
      `s.yaml:22:31: Deployment "web": spec.template.metadata.labels["bad key!"]: invalid label key "bad key!": ${BAD_NAME}`,
      `s.yaml:22:48: Deployment "web": spec.template.metadata.labels["a/b/c"]: invalid label key "a/b/c": a qualified name ${NAME_CHARS}, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });

  test('nodeSelector, pod (anti)affinity and topology spread selectors, required node affinity, PDB and Service selectors, node pool labels', () => {
    expect(
      errorsOf(
        load(
          scenario(
            `  workloads:
    - apiVersion: v1
      kind: Pod
      metadata: {name: p, labels: {app: p}}
      spec:
        containers: [{name: c}]
        nodeSelector: {disk: "${V70}"}
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: "-zone", operator: In, values: ["a b"]}]}]
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              - {topologyKey: "Example.com/zone", labelSelector: {matchLabels: {app: "p!"}}}
        topologySpreadConstraints:
          - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: "", operator: Exists}]}}
    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: b}
      spec: {minAvailable: 1, selector: {matchLabels: {"app/": p}}}
    - apiVersion: v1
      kind: Service
      metadata: {name: s}
      spec: {selector: {app: "p "}}
`,
            '  cluster:\n    nodePools:\n      - {name: general, count: 3, capacity: {cpu: "4", memory: 16Gi}, labels: {"pool name": x}}\n',
          ),
        ),
      ),
    ).toEqual([
      `s.yaml:8:80: spec.cluster.nodePools[0].labels["pool name"]: invalid label key "pool name": ${BAD_NAME}`,
      `s.yaml:15:30: Pod "p": spec.nodeSelector.disk: invalid label value "${V70}": must be no more than 63 characters`,
      `s.yaml:19:61: Pod "p": spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: invalid label key "-zone": ${BAD_NAME}`,
      `s.yaml:19:93: Pod "p": spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]: invalid label value "a b": ${BAD_VALUE}`,
      `s.yaml:22:31: Pod "p": spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: invalid label key "Example.com/zone": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`,
      `s.yaml:22:86: Pod "p": spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels.app: invalid label value "p!": ${BAD_VALUE}`,
      `s.yaml:24:120: Pod "p": spec.topologySpreadConstraints[0].labelSelector.matchExpressions[0].key: invalid label key "": name part must be non-empty`,
      `s.yaml:28:56: PodDisruptionBudget "b": spec.selector.matchLabels["app/"]: invalid label key "app/": name part must be non-empty`,
      `s.yaml:32:30: Service "s": spec.selector.app: invalid label value "p ": ${BAD_VALUE}`,
    ]);
  });

  test('valid keys and values load: prefixes such as app.kubernetes.io/, empty and 63-character values, preferred node affinity values', () => {
    const l = loaded(
      load(
        scenario(`  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app.kubernetes.io/name: web, app.kubernetes.io/part-of: "", example.com/Team_A.b-1: "${V63}"}
      spec:
        selector:
          matchLabels: {app.kubernetes.io/name: web}
          matchExpressions: [{key: kubernetes.io/tier, operator: In, values: ["", My_Value.1]}]
        template:
          metadata: {labels: {app.kubernetes.io/name: web, kubernetes.io/tier: "", empty: ""}}
          spec:
            containers: [{name: c}]
            nodeSelector: {node.kubernetes.io/instance-type: m5.large}
            affinity:
              nodeAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                  - {weight: 1, preference: {matchExpressions: [{key: disk, operator: In, values: ["not a label value"]}]}}
`),
      ),
    );
    const w = l.points[0]!.scenario.workloads[0]!;
    expect(w.template.labels).toEqual({ 'app.kubernetes.io/name': 'web', 'kubernetes.io/tier': '', empty: '' });
    expect(w.template.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'm5.large' });
  });
});

/** A controller of `kind` named `name` whose pod template spec is `podSpec` (flow YAML), and `spec` extra fields. */
function controller(kind: string, name: string, podSpec: string, spec = ''): string {
  return `    - {apiVersion: apps/v1, kind: ${kind}, metadata: {name: ${name}}, spec: {${spec}selector: {matchLabels: {app: ${name}}}, template: {metadata: {labels: {app: ${name}}}, spec: ${podSpec}}}}\n`;
}

describe('pod template restartPolicy (kube: ValidatePodTemplateSpecForReplicaSet, ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSetSpec; batch validateJobSpec)', () => {
  test("a Deployment, ReplicaSet, StatefulSet or DaemonSet template must restart Always, and may not set activeDeadlineSeconds", () => {
    expect(
      errorsOf(
        load(
          scenario(
            '  workloads:\n' +
              controller('Deployment', 'd', '{restartPolicy: OnFailure, containers: [{name: c}]}') +
              controller('ReplicaSet', 'r', '{restartPolicy: Never, containers: [{name: c}]}') +
              controller('StatefulSet', 's', '{restartPolicy: Never, containers: [{name: c}]}') +
              controller('DaemonSet', 'ds', '{activeDeadlineSeconds: 60, containers: [{name: c}]}'),
          ),
        ),
      ),
    ).toEqual([
      `s.yaml:10:173: Deployment "d": spec.template.spec.restartPolicy: unsupported value "OnFailure": supported values: "Always" (a Deployment's pods are always restarted; use a Job for run-to-completion pods)`,
      `s.yaml:11:173: ReplicaSet "r": spec.template.spec.restartPolicy: unsupported value "Never": supported values: "Always" (a ReplicaSet's pods are always restarted; use a Job for run-to-completion pods)`,
      `s.yaml:12:174: StatefulSet "s": spec.template.spec.restartPolicy: unsupported value "Never": supported values: "Always" (a StatefulSet's pods are always restarted; use a Job for run-to-completion pods)`,
      `s.yaml:13:183: DaemonSet "ds": spec.template.spec.activeDeadlineSeconds: forbidden: activeDeadlineSeconds in a DaemonSet's pod template is not supported`,
    ]);
  });

  test('restartPolicy Always, written or defaulted, loads', () => {
    const l = loaded(
      load(scenario('  workloads:\n' + controller('Deployment', 'd', '{restartPolicy: Always, containers: [{name: c}]}') + controller('StatefulSet', 's', '{containers: [{name: c}]}'))),
    );
    expect(l.points[0]!.scenario.workloads.map((w) => w.template.restartPolicy)).toEqual(['Always', 'Always']);
  });

  test('a Job template needs OnFailure or Never: Always, written or defaulted, is refused', () => {
    const job = (name: string, podSpec: string) => `    - {apiVersion: batch/v1, kind: Job, metadata: {name: ${name}}, spec: {template: {spec: ${podSpec}}}}\n`;
    expect(
      errorsOf(load(scenario('  workloads:\n' + job('a', '{restartPolicy: Always, containers: [{name: c}]}') + job('b', '{containers: [{name: c}]}') + job('ok', '{restartPolicy: OnFailure, containers: [{name: c}]}')))),
    ).toEqual([
      `s.yaml:10:102: Job "a": spec.template.spec.restartPolicy: a Job's pods need restartPolicy OnFailure or Never (the API rejects Always)`,
      // Defaulted to Always (SetDefaults_PodSpec): reported at the template's spec.
      `s.yaml:11:86: Job "b": spec.template.spec.restartPolicy: a Job's pods need restartPolicy OnFailure or Never (the API rejects Always)`,
    ]);
  });
});

describe('Deployment progressDeadlineSeconds (kube: ValidateDeploymentSpec, after SetDefaults_Deployment sets it to 600)', () => {
  test('not greater than minReadySeconds is refused, and so is minReadySeconds >= 600 without it', () => {
    expect(
      errorsOf(
        load(
          scenario(
            '  workloads:\n' +
              controller('Deployment', 'a', '{containers: [{name: c}]}', 'minReadySeconds: 30, progressDeadlineSeconds: 30, ') +
              controller('Deployment', 'b', '{containers: [{name: c}]}', 'progressDeadlineSeconds: 0, ') +
              controller('Deployment', 'c', '{containers: [{name: c}]}', 'minReadySeconds: 600, '),
          ),
        ),
      ),
    ).toEqual([
      's.yaml:10:121: Deployment "a": spec.progressDeadlineSeconds: must be greater than minReadySeconds (30)',
      's.yaml:11:100: Deployment "b": spec.progressDeadlineSeconds: must be greater than minReadySeconds (0)',
      's.yaml:12:92: Deployment "c": spec.minReadySeconds: must be less than progressDeadlineSeconds, which defaults to 600: set progressDeadlineSeconds above 600',
    ]);
  });

  test('greater than minReadySeconds loads; the default 600 is fine below it', () => {
    const l = loaded(
      load(
        scenario(
          '  workloads:\n' +
            controller('Deployment', 'a', '{containers: [{name: c}]}', 'minReadySeconds: 30, progressDeadlineSeconds: 31, ') +
            controller('Deployment', 'b', '{containers: [{name: c}]}', 'minReadySeconds: 599, ') +
            controller('Deployment', 'c', '{containers: [{name: c}]}', 'minReadySeconds: 900, progressDeadlineSeconds: 1200, '),
        ),
      ),
    );
    expect(l.points[0]!.scenario.workloads.map((w) => w.minReadySeconds)).toEqual([30, 599, 900]);
  });
});

describe('container names (kube: validateContainerCommon, validateContainers, validateInitContainers)', () => {
  test('containers and initContainers share one namespace; names are required DNS-1123 labels', () => {
    expect(
      errorsOf(
        load(
          scenario(`  workloads:
    - apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        initContainers:
          - {name: app}
          - {name: setup}
          - {name: setup}
        containers:
          - {name: app}
          - {name: app}
          - {image: busybox}
          - {name: Web_1}
`),
        ),
      ),
    ).toEqual([
      // The regular containers' names are taken first: the init container is the duplicate.
      's.yaml:15:20: Pod "p": spec.initContainers[0].name: duplicate container name "app" (containers and initContainers share one namespace)',
      's.yaml:17:20: Pod "p": spec.initContainers[2].name: duplicate container name "setup" (containers and initContainers share one namespace)',
      's.yaml:20:20: Pod "p": spec.containers[1].name: duplicate container name "app" (containers and initContainers share one namespace)',
      's.yaml:21:13: Pod "p": spec.containers[2]: missing required field "name"',
      `s.yaml:22:20: Pod "p": spec.containers[3].name: "Web_1" is not a valid container name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
    ]);
  });

  test('distinct names load, a sidecar among them', () => {
    const l = loaded(
      load(scenario('  workloads:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {initContainers: [{name: init}, {name: proxy, restartPolicy: Always}], containers: [{name: app}, {name: app-2}]}}\n')),
    );
    expect(l.points[0]!.scenario.workloads[0]!.key).toBe('Pod/p');
  });
});

describe('container restartPolicy (kube: validateInitContainers; pkg/api/pod dropContainerRestartRules)', () => {
  // Pod request = max(sum of containers + sidecars, largest regular init container + sidecars before it).
  const pod = (init: string, main = '') =>
    `  workloads:\n    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {initContainers: [{name: i, ${init}resources: {requests: {cpu: "2"}}}], containers: [{name: c, ${main}resources: {requests: {cpu: "1"}}}]}}\n`;
  const cpuMilli = (yaml: string) => loaded(load(scenario(yaml))).points[0]!.scenario.workloads[0]!.template.requests[0];

  test('restartPolicy Always makes an init container a sidecar: its request adds to the containers\'', () => {
    expect(cpuMilli(pod('restartPolicy: Always, '))).toBe(3000); // 1 + 2
  });

  test('OnFailure or Never on an init container, or any restartPolicy on a container, is cleared by v1.34 (ContainerRestartRules off), not refused', () => {
    expect(cpuMilli(pod(''))).toBe(2000); // max(1, 2)
    expect(cpuMilli(pod('restartPolicy: OnFailure, '))).toBe(2000);
    expect(cpuMilli(pod('restartPolicy: Never, ', 'restartPolicy: Always, '))).toBe(2000);
  });
});

describe('Job selectors (kube: registry/batch/job generateSelector, batch validateGeneratedSelector, ValidateJobSpec, ValidateJobTemplateSpec)', () => {
  const job = (name: string, spec: string, labels = '{app: a}') =>
    `    - {apiVersion: batch/v1, kind: Job, metadata: {name: ${name}}, spec: {${spec}template: {metadata: {labels: ${labels}}, spec: {restartPolicy: Never, containers: [{name: c}]}}}}\n`;

  test("a selector of one's own needs manualSelector: true; the generated labels may not be overridden", () => {
    expect(
      errorsOf(
        load(
          scenario(
            '  workloads:\n' +
              job('a', 'selector: {matchLabels: {app: a}}, ') +
              job('b', 'manualSelector: false, selector: {matchExpressions: [{key: app, operator: Exists}]}, ') +
              job('c', '', '{app: a, job-name: other}') +
              job('d', '', '{batch.kubernetes.io/controller-uid: "123"}') +
              job('e', 'manualSelector: true, ') +
              job('f', 'manualSelector: true, selector: {matchLabels: {app: b}}, ') +
              `    - {apiVersion: batch/v1, kind: CronJob, metadata: {name: cj}, spec: {schedule: "@hourly", jobTemplate: {spec: {manualSelector: true, selector: {matchLabels: {app: a}}, template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}}}\n`,
          ),
        ),
      ),
    ).toEqual([
      's.yaml:10:79: Job "a": spec.selector: `selector` not auto-generated: set `manualSelector: true` to select the pods with a selector of your own',
      's.yaml:11:102: Job "b": spec.selector: `selector` not auto-generated: set `manualSelector: true` to select the pods with a selector of your own',
      's.yaml:12:118: Job "c": spec.template.metadata.labels.job-name: must be "c", the Job\'s name (the API server sets this label)',
      's.yaml:13:136: Job "d": spec.template.metadata.labels["batch.kubernetes.io/controller-uid"]: must be the Job\'s uid, which the API server generates: leave this label out',
      's.yaml:14:68: Job "e": spec: missing required field "selector"',
      's.yaml:15:156: Job "f": spec.template.metadata.labels: `selector` does not match template `labels`',
      's.yaml:16:132: CronJob "cj": spec.jobTemplate.spec.manualSelector: unsupported value true: supported values: "nil", "false"',
      's.yaml:16:148: CronJob "cj": spec.jobTemplate.spec.selector: `selector` will be auto-generated: leave it out of a jobTemplate',
    ]);
  });

  test('no selector, manualSelector with a matching one, or one that the generated labels satisfy, load', () => {
    const l = loaded(
      load(
        scenario(
          '  workloads:\n' +
            job('a', '') +
            job('b', 'manualSelector: true, selector: {matchLabels: {app: a}}, ') +
            job('c', 'selector: {matchLabels: {batch.kubernetes.io/job-name: c}}, ', '{app: a, job-name: c}') +
            job('d', 'manualSelector: false, selector: {}, '),
        ),
      ),
    );
    expect(l.points[0]!.scenario.workloads.map((w) => w.key)).toEqual(['Job/a', 'Job/b', 'Job/c', 'Job/d']);
  });
});

describe('CronJob schedule (kube: batch validateScheduleFormat -> robfig/cron v3 ParseStandard)', () => {
  const cj = (name: string, schedule: string) =>
    `    - {apiVersion: batch/v1, kind: CronJob, metadata: {name: ${name}}, spec: {schedule: "${schedule}", jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}}}\n`;

  test('day-of-week 7 is refused (robfig allows 0-6)', () => {
    expect(errorsOf(load(scenario('  workloads:\n' + cj('a', '0 0 * * 7') + cj('b', '0 0 * * 0-6'))))).toEqual([
      's.yaml:10:83: CronJob "a": spec.schedule: invalid schedule "0 0 * * 7": end of range (7) above maximum (6): 7',
    ]);
  });

  test('a name of at most 52 characters (kube: ValidateCronJobCreate, 63 - 11 for the Jobs\' suffix)', () => {
    const ok = 'c'.repeat(52);
    const long = 'c'.repeat(53);
    expect(errorsOf(load(scenario('  workloads:\n' + cj(ok, '@hourly') + cj(long, '@hourly'))))).toEqual([
      `s.yaml:11:62: CronJob "${long}": metadata.name: must be no more than 52 characters (a CronJob's Jobs add an 11-character suffix), got 53`,
    ]);
  });

  test('`0 0 30 2 *` parses, as robfig parses it, and never fires (schedule null)', () => {
    const l = loaded(load(scenario('  workloads:\n' + cj('never', '0 0 30 2 *'))));
    expect(l.points[0]!.scenario.workloads[0]!.cronJob!.schedule).toBeNull();
  });
});

describe('taints and tolerations (kube: validateNodeTaints, ValidateTolerations)', () => {
  test('keys are label names; taint values and Equal toleration values are label values', () => {
    const pool = (taint: string) =>
      `  cluster:\n    nodePools:\n      - {name: general, count: 3, capacity: {cpu: "4", memory: 16Gi}, taints: [${taint}]}\n`;
    const pod = (toleration: string) =>
      `    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {tolerations: [${toleration}], containers: [{name: c}]}}\n`;
    expect(errorsOf(load(scenario('', pool('{key: "bad key", value: v, effect: NoSchedule}'))))).toEqual([
      expect.stringMatching(/^s\.yaml:8:\d+: spec\.cluster\.nodePools\[0\]\.taints\[0\]\.key: invalid label key "bad key": name part must consist of/),
    ]);
    expect(errorsOf(load(scenario('', pool('{key: dedicated, value: "a b", effect: NoSchedule}'))))).toEqual([
      expect.stringMatching(/^s\.yaml:8:\d+: spec\.cluster\.nodePools\[0\]\.taints\[0\]\.value: invalid label value "a b"/),
    ]);
    expect(errorsOf(load(scenario('  workloads:\n' + pod('{key: "x/y/z", operator: Exists}'))))).toEqual([
      expect.stringMatching(/^s\.yaml:10:\d+: Pod "p": spec\.tolerations\[0\]\.key: invalid label key "x\/y\/z"/),
    ]);
    expect(errorsOf(load(scenario('  workloads:\n' + pod('{key: dedicated, operator: Equal, value: "a b"}'))))).toEqual([
      expect.stringMatching(/^s\.yaml:10:\d+: Pod "p": spec\.tolerations\[0\]\.value: invalid label value "a b"/),
    ]);
    // Valid neighbours: a prefixed key, an empty value, Exists with an empty key.
    const fine = loaded(load(scenario('  workloads:\n' + pod('{key: example.com/gpu, operator: Equal, value: ""}, {operator: Exists}'),
      pool('{key: example.com/gpu, effect: NoSchedule}'))));
    expect(fine.points[0]!.scenario.nodePools[0]!.taints).toEqual([{ key: 'example.com/gpu', value: '', effect: 'NoSchedule' }]);
  });
});
