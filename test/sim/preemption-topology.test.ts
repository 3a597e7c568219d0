// Preemption past the pod-topology filters and GPU devices, end to end (issue #3; kube v1.34:
// InterPodAffinity / PodTopologySpread Filter status codes, their PreFilterExtensions
// RemovePod / AddPod in SelectVictimsOnNode, RunFilterPluginsWithNominatedPods; GPUs as the
// extended resource nvidia.com/gpu plus the openb device fit).
import { describe, expect, it } from 'vitest';
import { drain, nodePool, podTemplate, rollout, scenario, workload } from '../../src/bench/synthetic.js';
import type { PodAffinityTerm, RollingUpdateStrategy } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';

const GI = 1024 ** 3;
const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const startup10 = { startup: { dist: 'fixed' as const, value: 10 } };
const surgeOne: RollingUpdateStrategy = { type: 'RollingUpdate', maxSurge: { kind: 'int', value: 1 }, maxUnavailable: { kind: 'int', value: 0 } };
const term = (app: string, topologyKey: string): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app }, matchExpressions: [] },
  namespaces: [],
  namespaceSelector: null,
  topologyKey,
});
const bound = (r: ReturnType<typeof run>, pod: string) => r.events('pod-bound').filter((e) => e.endsWith(` ${pod}`));
const preempted = (r: ReturnType<typeof run>) => r.events('pod-deleted').filter((e) => e.endsWith(' preemption'));

describe('required anti-affinity: the lower-priority pod it rejects is preempted', () => {
  /**
   * Nodes a-0 (pool a) and b-0 (pool b), 4000m each. critical (prio 1000, 500m) has required
   * anti-affinity to app=low per hostname and prefers pool b (weight 100): at t = 0 it is
   * placed first (PrioritySort), on b-0; low (prio 0, 500m) is kept off b-0 by critical's
   * anti-affinity (symmetry: existing pods' anti-affinity) and goes to a-0. At t = 100 b-0 is
   * drained (cordoned, critical-0 evicted, 30 s grace); the replacement critical-1 can go to
   * a-0 only, where low-0 stands: InterPodAffinity rejects with ErrReasonAntiAffinityRulesNotMatch.
   */
  function antiAffinity(anti: boolean) {
    return scenario({
      horizonS: 1000,
      nodePools: ['a', 'b'].map((p) => nodePool({ name: p, count: 1, labels: { pool: p } })),
      workloads: [
        workload({
          name: 'critical',
          template: podTemplate({
            labels: { app: 'critical' },
            cpuMilli: 500,
            priority: 1000,
            podAntiAffinity: { required: anti ? [term('low', HOST)] : [], preferred: [] },
            preferredNodeAffinity: [{ weight: 100, preference: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['b'] }], matchFields: [] } }],
          }),
          behavior: startup10,
        }),
        workload({ name: 'low', template: podTemplate({ labels: { app: 'low' }, cpuMilli: 500, priority: 0 }), behavior: startup10 }),
      ],
      disruptions: [drain({ atS: 100, target: { pools: [], names: ['b-0'] } })],
    });
  }

  it('was Unschedulable (resolvable): the dry run removes low-0 and the anti-affinity count drops to 0', () => {
    const r = run(antiAffinity(true));
    expect(bound(r, 'critical-0')).toEqual(['0 b-0 critical-0']);
    expect(bound(r, 'low-0')).toEqual(['0 a-0 low-0']);
    // t = 100: a-0 is the only potential node (b-0 cordoned: unresolvable). Dry run: remove
    // low-0 -> anti-affinity count of domain a-0: 1 - 1 = 0 -> fits; reprieve low-0 -> 1 > 0
    // -> low-0 is the victim.
    expect(r.events('pod-nominated')).toEqual(['100 a-0 critical-1 victims=1']);
    expect(preempted(r)).toEqual(['100 a-0 low-0 preemption']);
    // low-1 (the replacement, t = 100) must not take a-0 meanwhile: critical-1 is nominated
    // there with a higher priority, and RunFilterPluginsWithNominatedPods adds it (AddPod):
    // its anti-affinity term selects low -> existing anti-affinity count on a-0 = 1.
    expect(bound(r, 'low-1')).toEqual([]);
    // low-0 terminates for 30 s; critical-1 then binds to its nominated node.
    expect(bound(r, 'critical-1')).toEqual(['130 a-0 critical-1']);
    expect(r.metric('low', 'preemptions')).toBe(1);
  });

  it('without the anti-affinity term nothing is preempted: a-0 has room for both', () => {
    const r = run(antiAffinity(false));
    expect(r.events('pod-nominated')).toEqual([]);
    expect(preempted(r)).toEqual([]);
    expect(bound(r, 'critical-1')).toEqual(['100 a-0 critical-1']);
  });

  it('is deterministic', () => {
    expect(run(antiAffinity(true), 3).trace).toEqual(run(antiAffinity(true), 3).trace);
  });
});

describe('topology spread: a lower-priority pod in the crowded zone is preempted', () => {
  /**
   * Nodes a-0 (zone a, 4000m) and b-0 (zone b, 2000m). web (prio 1000, 100m, app=web) spreads
   * over zones with maxSkew 1 (DoNotSchedule, selector app=web); old (prio 2000, 2 x 1000m,
   * app=web) is pinned to b-0 and fills it; canary-a and canary-b (prio 0, 100m, app=web) are
   * pinned to a-0. t = 0, by priority: old-0, old-1 -> b-0 (b: 2 matching); web-0 -> a-0
   * (b-0 is full; a: 0 + 1 - 0 = 1 <= 1); canary-a, canary-b -> a-0 (they have no
   * constraint). Zone a: 3 matching pods, zone b: 2.
   */
  function spread() {
    const web = { matchLabels: { app: 'web' }, matchExpressions: [] };
    return scenario({
      horizonS: 1000,
      nodePools: [
        nodePool({ name: 'a', count: 1, zones: ['a'], labels: { pool: 'a' } }),
        nodePool({ name: 'b', count: 1, zones: ['b'], labels: { pool: 'b' }, capacity: [2000, 16 * GI, 100 * GI] }),
      ],
      workloads: [
        workload({
          name: 'web',
          strategy: surgeOne,
          template: podTemplate({
            labels: { app: 'web' },
            cpuMilli: 100,
            priority: 1000,
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: web, minDomains: null, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' },
            ],
          }),
          behavior: startup10,
        }),
        workload({ name: 'old', replicas: 2, template: podTemplate({ labels: { app: 'web' }, cpuMilli: 1000, priority: 2000, nodeSelector: { pool: 'b' } }), behavior: startup10 }),
        // Bare Pods: nothing replaces a victim (a Deployment's replacement would take the room
        // back at once, as it would upstream: it has no constraint to respect).
        ...['canary-a', 'canary-b'].map((name) =>
          workload({ name, kind: 'Pod', template: podTemplate({ labels: { app: 'web' }, cpuMilli: 100, priority: 0, nodeSelector: { pool: 'a' } }), behavior: startup10 }),
        ),
      ],
      disruptions: [rollout('Deployment/web', 100)],
    });
  }

  it('evicts one canary: the other is reprieved once the skew allows it', () => {
    const r = run(spread());
    expect(bound(r, 'web-0')).toEqual(['0 a-0 web-0']);
    // t = 100, web-1: b-0 Insufficient cpu with no lower-priority pod (old: 2000 > 1000);
    // a-0: 3 + 1 - min(3, 2) = 2 > 1: ErrReasonConstraintsNotMatch, resolvable. Dry run on
    // a-0: remove canary-a, canary-b -> zone a 1, min(1, 2) = 1 -> 1 + 1 - 1 = 1 fits.
    // Reprieve canary-a (same priority and start, lower id first): a 2, min(2, 2) = 2 ->
    // 2 + 1 - 2 = 1 fits, kept. Reprieve canary-b: a 3, min(3, 2) = 2 -> 3 + 1 - 2 = 2 > 1:
    // victim.
    expect(r.events('pod-nominated')).toEqual(['100 a-0 web-1 victims=1']);
    expect(preempted(r)).toEqual(['100 a-0 canary-b preemption']);
    // canary-b terminates for 30 s; web-1 binds to its nominated node when it is gone.
    expect(bound(r, 'web-1')).toEqual(['130 a-0 web-1']);
    expect(r.metric('canary-b', 'preemptions')).toBe(1);
    expect(r.metric('canary-a', 'preemptions')).toBe(0);
    expect(r.metric('old', 'preemptions')).toBe(0);
  });
});

describe('GPU pods preempt lower-priority GPU pods', () => {
  /**
   * One node, 32 cpu, 2 GPUs (nvidia.com/gpu 2). train (prio 1000) and batch (prio 0), one pod
   * each, both asking for `gpu`; at t = 0 train-0 then batch-0 are placed. At t = 100 a rollout
   * adds train-1 (maxSurge 1, maxUnavailable 0) while train-0 stays.
   */
  function gpus(gpu: { count: number; milliPerGpu: number }, trainModels: string[] = []) {
    const whole = gpu.milliPerGpu === 1000 ? gpu.count : 0; // whole GPUs are also requests of nvidia.com/gpu
    const template = (app: string, priority: number, models: string[] = []) => ({
      ...podTemplate({ labels: { app }, priority, requests: [1000, GI, 0, whole] }),
      gpu: { ...gpu, models },
    });
    return scenario({
      horizonS: 1000,
      resourceNames: ['cpu', 'memory', 'ephemeral-storage', 'nvidia.com/gpu'],
      nodePools: [nodePool({ name: 'gpu', count: 1, capacity: [32000, 128 * GI, 100 * GI, 2], labels: { 'alibabacloud.com/gpu-card-model': 'A' } })],
      workloads: [
        workload({ name: 'train', strategy: surgeOne, template: template('train', 1000, trainModels), behavior: startup10 }),
        workload({ name: 'batch', replicas: trainModels.length > 0 ? 2 : 1, template: template('batch', 0), behavior: startup10 }),
      ],
      disruptions: [rollout('Deployment/train', 100)],
    });
  }

  it('whole GPUs: nvidia.com/gpu 2/2 used -> Insufficient (resolvable); the victim frees its device', () => {
    // train-0 takes device 0, batch-0 device 1. train-1: NodeResourcesFit 1 > 2 - 2 -> dry run
    // removes batch-0 (1 < 2 free, and device 1 fully free) -> fits; reprieving it does not.
    const r = run(gpus({ count: 1, milliPerGpu: 1000 }));
    expect(r.events('pod-nominated')).toEqual(['100 gpu-0 train-1 victims=1']);
    expect(preempted(r)).toEqual(['100 gpu-0 batch-0 preemption']);
    expect(bound(r, 'train-1')).toEqual(['130 gpu-0 train-1']);
  });

  it('shared GPUs: the device-level fit is re-checked with the victim\'s device freed', () => {
    // 600 milli each. train-0 -> device 0 (best fit, lowest index on ties: 400 left); batch-0
    // -> device 0 has 400 < 600, device 1 (400 left). train-1 (600): 400 + 400 = 800 milli
    // free on the node but no device with 600: GpuShareFit fails (resolvable). Dry run:
    // remove batch-0 -> device 1 back to 1000 >= 600 -> fits; reprieve batch-0 -> device 1
    // 400 < 600 -> victim.
    const r = run(gpus({ count: 1, milliPerGpu: 600 }));
    expect(bound(r, 'batch-0')).toEqual(['0 gpu-0 batch-0']);
    expect(r.events('pod-nominated')).toEqual(['100 gpu-0 train-1 victims=1']);
    expect(preempted(r)).toEqual(['100 gpu-0 batch-0 preemption']);
    expect(bound(r, 'train-1')).toEqual(['130 gpu-0 train-1']);
  });

  it.each([
    // Shared: cpu and memory fit, GpuShareFit rejects the model (unresolvable): not examined.
    { kind: 'shared', gpu: { count: 1, milliPerGpu: 600 } },
    // Whole: nvidia.com/gpu 2/2 used fails first (resolvable), so the node is examined; with
    // both batch pods removed the dry run's GpuShareFit still rejects the model.
    { kind: 'whole', gpu: { count: 1, milliPerGpu: 1000 } },
  ])('a pod asking for another GPU model preempts nothing ($kind)', ({ gpu }) => {
    // The node's GPUs are model A; train wants B. batch-0 and batch-1 hold both devices.
    const r = run(gpus(gpu, ['B']));
    expect(bound(r, 'train-0')).toEqual([]);
    expect(r.events('pod-nominated')).toEqual([]);
    expect(preempted(r)).toEqual([]);
    expect(r.metric('cluster', 'preemption_attempts')).toBeGreaterThan(0);
  });

  it('a pod of equal priority has no victims: the GPU pod waits', () => {
    // train-1 (600 milli) against train-0 and a second train pod: nothing lower to evict.
    const s = gpus({ count: 1, milliPerGpu: 600 });
    s.workloads[1]!.template.priority = 1000;
    const r = run(s);
    expect(r.events('pod-nominated')).toEqual([]);
    expect(bound(r, 'train-1')).toEqual([]);
  });
});
