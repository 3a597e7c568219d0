// Strict field validation of manifests, as `kubectl apply` (--validate=strict) does it: a field
// that the object's Kubernetes v1.34 type does not have is an error at its key; valid fields the
// simulator does not model are accepted silently; override paths are held to the same schema.
import { describe, expect, test } from 'vitest';
import { errorsOf, FIXTURES, load, loaded, scenario } from './helpers.js';

const TYPOS = `${FIXTURES}/strict/typos.yaml`;

describe('unknown fields in manifests are errors at their key', () => {
  test('one per kind we read, with the path Kubernetes names and a suggestion', () => {
    expect(errorsOf(load(scenario('  manifests: [strict/typos.yaml]\n')))).toEqual([
      // Deployment spec.replica: 6 would run 1 replica (the default).
      `${TYPOS}:7:3: unknown field "spec.replica" in Deployment "web" (did you mean "replicas"?)`,
      `${TYPOS}:10:21: unknown field "spec.strategy.rollingUpdate.maxsurge" in Deployment "web" (did you mean "maxSurge"?)`,
      // The comparison is case-sensitive, as the API server's.
      `${TYPOS}:14:7: unknown field "spec.template.spec.nodeselector" in Deployment "web" (did you mean "nodeSelector"?)`,
      `${TYPOS}:16:9: unknown field "spec.template.spec.affinity.nodeAfinity" in Deployment "web" (did you mean "nodeAffinity"?)`,
      // resources: {request: ...} would request nothing, so everything would fit.
      `${TYPOS}:20:13: unknown field "spec.template.spec.containers[0].resources.request" in Deployment "web" (did you mean "requests"?)`,
      `${TYPOS}:21:13: unknown field "spec.template.spec.containers[0].resources.limit" in Deployment "web" (did you mean "limits"?)`,
      // A field of another kind: DaemonSets have no replicas (nothing close enough to suggest).
      `${TYPOS}:27:3: unknown field "spec.replicas" in DaemonSet "agent"`,
      `${TYPOS}:39:36: unknown field "spec.updateStrategy.rollingUpdate.partiton" in StatefulSet "db" (did you mean "partition"?)`,
      `${TYPOS}:42:71: unknown field "spec.template.spec.terminationGracePeriod" in StatefulSet "db" (did you mean "terminationGracePeriodSeconds"?)`,
      `${TYPOS}:46:22: unknown field "metadata.lables" in ReplicaSet "rs" (did you mean "labels"?)`,
      `${TYPOS}:51:78: unknown field "spec.template.spec.tolerations[0].efect" in ReplicaSet "rs" (did you mean "effect"?)`,
      `${TYPOS}:57:3: unknown field "spec.backofflimit" in Job "batch" (did you mean "backoffLimit"?)`,
      `${TYPOS}:69:65: unknown field "spec.jobTemplate.spec.template.spec.containers[0].resource" in CronJob "nightly" (did you mean "resources"?)`,
      `${TYPOS}:76:97: unknown field "spec.topologySpreadConstraints[0].labelSelectors" in Pod "solo" (did you mean "labelSelector"?)`,
      `${TYPOS}:82:3: unknown field "spec.minAvailible" in PodDisruptionBudget "web" (did you mean "minAvailable"?)`,
      // ... and what the typo did: the budget has neither field.
      `${TYPOS}:82:3: PodDisruptionBudget "web": spec: set one of minAvailable or maxUnavailable (with neither, Kubernetes allows no eviction at all)`,
      `${TYPOS}:90:3: unknown field "spec.maxReplica" in HorizontalPodAutoscaler "db" (did you mean "maxReplicas"?)`,
      `${TYPOS}:97:1: unknown field "globaldefault" in PriorityClass "high" (did you mean "globalDefault"?)`,
      `${TYPOS}:103:3: unknown field "spec.selectors" in Service "web" (did you mean "selector"?)`,
    ]);
  });

  test('inline workloads and cluster.nodes are checked too', () => {
    expect(
      errorsOf(
        load(
          scenario(
            `  workloads:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}], nodeSelecter: {a: b}}}
`,
            `  cluster:
    nodes:
      - {apiVersion: v1, kind: Node, metadata: {name: n}, status: {allocatable: {cpu: 1, memory: 1Gi}}, spec: {unschedulabel: true}}
`,
          ),
        ),
      ),
    ).toEqual([
      's.yaml:8:112: unknown field "spec.unschedulabel" in Node "n" (did you mean "unschedulable"?)',
      's.yaml:10:88: unknown field "spec.nodeSelecter" in Pod "p" (did you mean "nodeSelector"?)',
    ]);
  });

  test('valid fields we do not model (probes, volumes, env, securityContext, status, managedFields) are accepted without a word', () => {
    const l = loaded(load(scenario('  manifests: [strict/unmodelled.yaml]\n')));
    expect(l.points[0]!.scenario.workloads.map((w) => [w.key, w.replicas])).toEqual([['Deployment/web', 3]]);
    // Kinds we skip stay skipped with a warning, whatever they hold.
    expect(l.warnings).toEqual([`${FIXTURES}/strict/unmodelled.yaml:156:1: warning: ConfigMap "web-config": skipped: kind ConfigMap (v1) is not used by the simulator`]);
  });

  test('objects of another apiVersion report that, not their fields', () => {
    expect(
      errorsOf(load(scenario(`  workloads:\n    - {apiVersion: extensions/v1beta1, kind: Deployment, metadata: {name: w}, spec: {replica: 2}}\n`))),
    ).toEqual(['s.yaml:10:20: Deployment "w": apiVersion: Deployment is not served at "extensions/v1beta1" by Kubernetes v1.34; use apps/v1']);
  });
});

describe('override paths into manifests must name a field of the Kubernetes type', () => {
  const WEB = `  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web}]}
`;

  test('--set of a field that does not exist is an error at the object, and nothing is set', () => {
    expect(
      errorsOf(
        load(scenario(WEB), [
          { path: 'workloads[Deployment/web].spec.replica', value: '6' },
          { path: 'workloads[web].spec.template.spec.containers[web].resources.request.cpu', value: '2' },
          { path: 'workloads[web].spec.replicas.count', value: '2' },
          { path: 'workloads[web].spec.template.spec.tolerations.key', value: 'a' },
        ]),
      ),
    ).toEqual([
      // the object's position, as for a [SEL] that matches nothing
      's.yaml:10:7: --set workloads[Deployment/web].spec.replica=6: unknown field "spec.replica" in Deployment "web" (did you mean "replicas"?)',
      's.yaml:10:7: --set workloads[web].spec.template.spec.containers[web].resources.request.cpu=2: unknown field "spec.template.spec.containers[web].resources.request" in Deployment "web" (did you mean "requests"?)',
      's.yaml:10:7: --set workloads[web].spec.replicas.count=2: unknown field "spec.replicas.count" in Deployment "web": spec.replicas is a single value, it has no fields',
      's.yaml:10:7: --set workloads[web].spec.template.spec.tolerations.key=a: "spec.template.spec.tolerations" in Deployment "web" is a list; select an element with [NAME] or [INDEX]',
    ]);
  });

  test('a sweep axis of a field that does not exist is an error at its path', () => {
    expect(errorsOf(load(scenario(`${WEB}  sweep:\n    - {set: "workloads[Deployment/web].spec.replica", values: [3]}\n`)))).toEqual([
      's.yaml:19:13: sweep workloads[Deployment/web].spec.replica=3: unknown field "spec.replica" in Deployment "web" (did you mean "replicas"?)',
    ]);
  });

  test('a sweep value with an unknown field inside is an error at that key, naming the sweep', () => {
    expect(errorsOf(load(scenario(`${WEB}  sweep:\n    - {set: "workloads[web].spec.strategy", values: [{rollingUpdate: {maxsurge: 1}}]}\n`)))).toEqual([
      's.yaml:19:71: unknown field "spec.strategy.rollingUpdate.maxsurge" in Deployment "web" (did you mean "maxSurge"?) (from sweep workloads[web].spec.strategy={"rollingUpdate":{"maxsurge":1}})',
    ]);
  });

  test('paths into cluster.nodes manifests are checked', () => {
    const nodes = `  cluster:\n    nodes:\n      - {apiVersion: v1, kind: Node, metadata: {name: n}, status: {allocatable: {cpu: 1, memory: 1Gi}}}\n`;
    expect(errorsOf(load(scenario('', nodes), [{ path: 'cluster.nodes[n].status.allocatible.cpu', value: '2' }]))).toEqual([
      's.yaml:8:9: --set cluster.nodes[n].status.allocatible.cpu=2: unknown field "status.allocatible" in Node "n" (did you mean "allocatable"?)',
    ]);
    const s = loaded(load(scenario('', nodes), [{ path: 'cluster.nodes[n].status.allocatable.cpu', value: '2' }])).points[0]!.scenario;
    expect(s.nodes[0]!.capacity[0]).toBe(2000);
  });

  test('fields of the type, and keys of free-form maps, may be set', () => {
    const l = loaded(
      load(scenario(WEB), [
        { path: 'workloads[web].spec.replicas', value: '4' },
        { path: 'workloads[web].metadata.annotations.owner', value: 'team-a' },
        { path: 'workloads[web].spec.template.metadata.labels["app.kubernetes.io/name"]', value: 'web' },
        { path: 'workloads[web].spec.template.spec.nodeSelector.disk', value: 'ssd' },
        { path: 'workloads[web].spec.template.spec.containers[web].resources.requests.cpu', value: '2' },
        { path: 'workloads[web].spec.template.spec.containers[0].livenessProbe', value: '{httpGet: {path: /, port: 80}}' },
      ]),
    );
    const w = l.points[0]!.scenario.workloads[0]!;
    expect([w.replicas, w.template.nodeSelector, w.template.requests[0]]).toEqual([4, { disk: 'ssd' }, 2000]);
    expect(l.warnings).toEqual([]);
  });
});
