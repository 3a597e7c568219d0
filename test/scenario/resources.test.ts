import { describe, expect, test } from 'vitest';
import {
  aggregateContainerRequests,
  canonical,
  NON_ZERO_DEFAULTS,
  podRequests,
  type PodResources,
  type ResourceList,
} from '../../src/scenario/kube/resources.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const Mi = 1024n * 1024n * 1000n; // 1 MiB in milli-bytes
const Gi = 1024n * Mi;

/** cpu in millicores, memory in milli-bytes (the ResourceList unit). */
function rl(cpuMilli?: number, memory?: bigint): ResourceList {
  const m: ResourceList = new Map();
  if (cpuMilli !== undefined) m.set('cpu', BigInt(cpuMilli));
  if (memory !== undefined) m.set('memory', memory);
  return m;
}

/** Two app containers, then init containers i1, sidecar s1, i2, sidecar s2, i3, and overhead. */
const POD: PodResources = {
  containers: [
    { requests: rl(1000, 1n * Gi), restartable: false }, // c1
    { requests: rl(500), restartable: false }, // c2: no memory request
  ],
  initContainers: [
    { requests: rl(2000, 2n * Gi), restartable: false }, // i1
    { requests: rl(300, 100n * Mi), restartable: true }, // s1 (restartPolicy: Always)
    { requests: rl(1000), restartable: false }, // i2
    { requests: rl(200), restartable: true }, // s2
    { requests: rl(1800), restartable: false }, // i3
  ],
  overhead: rl(250, 120n * Mi),
  podLevel: new Map(),
};

describe('kube: resourcehelper.PodRequests', () => {
  test('init containers, sidecars and overhead, worked by hand', () => {
    // cpu (millicores):
    //   containers:            1000 + 500                      = 1500
    //   i1: InitContainerUse = 2000 + sidecars before (0)      = 2000
    //   s1: sidecar, result += 300 -> 1800; sidecars = 300; use = 300
    //   i2: 1000 + 300                                         = 1300
    //   s2: sidecar, result += 200 -> 2000; sidecars = 500; use = 500
    //   i3: 1800 + 500                                         = 2300
    //   max(result 2000, max init use 2300)                    = 2300
    //   + overhead 250                                         = 2550
    // memory:
    //   containers: 1Gi (c2 sets none); s1 adds 100Mi -> 1Gi+100Mi
    //   init uses: i1 2Gi, s1 100Mi, i2 0+100Mi, s2 100Mi, i3 100Mi -> max 2Gi
    //   max(1Gi+100Mi, 2Gi) = 2Gi, + overhead 120Mi = 2Gi+120Mi = 2273312768 bytes
    const r = podRequests(POD);
    expect(canonical('cpu', r.get('cpu')!)).toBe(2550);
    expect(canonical('memory', r.get('memory')!)).toBe(2273312768);
    // Without overhead: 2300m and 2Gi.
    const a = aggregateContainerRequests(POD);
    expect(a.get('cpu')).toBe(2300n);
    expect(a.get('memory')).toBe(2n * Gi);
  });

  test('non-zero variant: 100m / 200Mi for each container whose request is missing', () => {
    // memory, with 200Mi for every container without a memory request (c2, i2, s2, i3):
    //   containers: 1Gi + 200Mi; s1 adds 100Mi, s2 adds 200Mi -> 1Gi+500Mi
    //   init uses: i1 2Gi; s1 100Mi; i2 200Mi+100Mi; s2 300Mi; i3 200Mi+300Mi=500Mi -> max 2Gi
    //   max(1Gi+500Mi, 2Gi) = 2Gi, + overhead 120Mi
    // cpu: every container sets cpu, so the same 2550m.
    const r = podRequests(POD, NON_ZERO_DEFAULTS);
    expect(canonical('cpu', r.get('cpu')!)).toBe(2550);
    expect(canonical('memory', r.get('memory')!)).toBe(2273312768);

    // A container with no requests at all: 0 requested, 100m / 200Mi for scoring.
    const bare: PodResources = { containers: [{ requests: new Map(), restartable: false }], initContainers: [], overhead: new Map(), podLevel: new Map() };
    expect(podRequests(bare).size).toBe(0);
    const nz = podRequests(bare, NON_ZERO_DEFAULTS);
    expect(canonical('cpu', nz.get('cpu')!)).toBe(100);
    expect(canonical('memory', nz.get('memory')!)).toBe(209715200); // 200 * 1024 * 1024

    // An explicit 0 is not missing (kube: "If the requests for those resources are explicitly set, even if zero, they will not be modified").
    const zero: PodResources = { ...bare, containers: [{ requests: rl(0, 0n), restartable: false }] };
    expect(podRequests(zero, NON_ZERO_DEFAULTS).get('cpu')).toBe(0n);
  });

  test('pod-level requests replace the container aggregate for cpu and memory', () => {
    const pod: PodResources = { ...POD, overhead: new Map(), podLevel: rl(4000) };
    // cpu from pod level (4000m); memory still the aggregate 2Gi.
    const r = podRequests(pod);
    expect(r.get('cpu')).toBe(4000n);
    expect(r.get('memory')).toBe(2n * Gi);
  });

  test('values are rounded only at the end (1 milli-byte + 1 milli-byte = 1 byte, not 2)', () => {
    expect(canonical('memory', 2n)).toBe(1);
    expect(canonical('memory', 1001n)).toBe(2);
    expect(canonical('cpu', 1n)).toBe(1);
  });
});

function podYaml(spec: string): string {
  return scenario(`  workloads:
    - apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
${spec}`);
}

describe('pod templates: API defaulting and validation', () => {
  test('requests default to limits per missing key (kube: SetDefaults_Pod)', () => {
    const s = loaded(
      load(
        podYaml(`        containers:
          - name: a
            resources:
              requests: {cpu: 250m}
              limits: {cpu: "1", memory: 512Mi}
`),
      ),
    ).points[0]!.scenario;
    const t = s.workloads[0]!.template;
    // cpu keeps its request (250m); memory takes the limit (512Mi = 536870912 bytes).
    expect(t.requests.slice(0, 2)).toEqual([250, 536870912]);
    expect(t.nonZeroCpuMilli).toBe(250);
    expect(t.nonZeroMemoryBytes).toBe(536870912);
  });

  test('sidecars, init containers and overhead through a manifest', () => {
    const s = loaded(
      load(
        podYaml(`        overhead: {cpu: 250m, memory: 120Mi}
        initContainers:
          - {name: i1, resources: {requests: {cpu: "2", memory: 2Gi}}}
          - {name: s1, restartPolicy: Always, resources: {requests: {cpu: 300m, memory: 100Mi}}}
          - {name: i2, resources: {requests: {cpu: "1"}}}
          - {name: s2, restartPolicy: Always, resources: {requests: {cpu: 200m}}}
          - {name: i3, resources: {requests: {cpu: 1800m}}}
        containers:
          - {name: c1, resources: {requests: {cpu: "1", memory: 1Gi}}}
          - {name: c2, resources: {requests: {cpu: 500m}}}
`),
      ),
    ).points[0]!.scenario;
    // Same pod as the hand-worked case above: 2550m, 2Gi + 120Mi.
    expect(s.workloads[0]!.template.requests.slice(0, 2)).toEqual([2550, 2273312768]);
  });

  test('pod-level limits default pod-level requests (kube: defaultPodRequests)', () => {
    const s = loaded(
      load(
        podYaml(`        resources:
          limits: {cpu: "4", memory: 8Gi}
        containers:
          - {name: c, resources: {requests: {cpu: "1"}}}
`),
      ),
    ).points[0]!.scenario;
    // cpu: containers request it -> their aggregate, 1000m; memory: none does -> the pod limit, 8Gi.
    expect(s.workloads[0]!.template.requests.slice(0, 2)).toEqual([1000, 8589934592]);
  });

  test('extended resources: dimensions in order of first appearance, integers, request = limit', () => {
    const s = loaded(
      load(
        scenario(
          `  workloads:
    - apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
          - name: c
            resources:
              limits: {example.com/fpga: 1, nvidia.com/gpu: 2}
`,
          `  cluster:
    nodePools:
      - {name: gpu, count: 1, capacity: {cpu: "8", memory: 64Gi, nvidia.com/gpu: 4}}
`,
        ),
      ),
    ).points[0]!.scenario;
    expect(s.resourceNames).toEqual(['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu', 'example.com/fpga']);
    expect(s.nodePools[0]!.capacity).toEqual([8000, 68719476736, 0, 4, 0]);
    expect(s.workloads[0]!.template.requests).toEqual([0, 0, 0, 2, 1]);
    expect(s.warnings).toEqual(['s.yaml:10:7: warning: Pod/p requests example.com/fpga, which no node pool or node offers; its pods will stay Pending']);
  });

  test('validation errors', () => {
    expect(
      errorsOf(
        load(
          podYaml(`        containers:
          - name: c
            resources:
              requests: {cpu: "2", nvidia.com/gpu: 1, gpu: 1, memory: 0.5}
              limits: {cpu: "1"}
          - name: d
            resources:
              requests: {example.com/x: 1}
              limits: {example.com/x: 2}
`),
        ),
      ),
    ).toEqual([
      // line 17: requests: {cpu: "2", nvidia.com/gpu: 1, gpu: 1, memory: 0.5}; line 18: limits: {cpu: "1"}
      's.yaml:17:31: Pod "p": spec.containers[0].resources.requests.cpu: must be less than or equal to cpu limit of 1',
      's.yaml:17:55: Pod "p": spec.containers[0].resources.requests.gpu: unknown resource "gpu" (did you mean "cpu"?) (container resources are cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as nvidia.com/gpu)',
      's.yaml:18:23: Pod "p": spec.containers[0].resources.limits: limit must be set for non overcommitable resource nvidia.com/gpu',
      's.yaml:21:41: Pod "p": spec.containers[1].resources.requests["example.com/x"]: must be equal to example.com/x limit of 2',
    ]);
  });
});
