// Pod (anti-)affinity and topology spread end to end: the loader's rules reach the scheduler,
// the pod counts follow binds and removals, and the queue retries a pod a bind has helped.
import { describe, expect, it } from 'vitest';
import { nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import type { PodAffinityTerm, TopologySpreadConstraint } from '../../src/scenario/model.js';
import { run } from '../support/sim.js';
import { resolveTopology, scenarioTopology, topologyTemplate } from '../../src/sim/scheduler/topology/pod-topology.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const term = (app: string, topologyKey: string): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app }, matchExpressions: [] },
  namespaces: [],
  namespaceSelector: null,
  topologyKey,
});
const zoneSpread = (app: string, maxSkew: number): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey: ZONE,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app }, matchExpressions: [] },
  minDomains: null,
  nodeAffinityPolicy: 'Honor',
  nodeTaintsPolicy: 'Ignore',
});
/** "node pod" of every bind. */
const binds = (r: ReturnType<typeof run>) => r.events('pod-bound').map((e) => e.split(' ').slice(1, 3).join(' '));

describe('pod anti-affinity', () => {
  it.each(['kube-default', 'most-allocated', 'first-fit'])('%s: 3 replicas, one per host, on 2 nodes: one stays Pending', (policy) => {
    const r = run(
      scenario({
        horizonS: 3600,
        scheduler: { policy, percentageOfNodesToScore: 0 },
        nodePools: [nodePool({ name: 'n', count: 2 })],
        workloads: [
          workload({
            name: 'db',
            replicas: 3,
            template: podTemplate({ labels: { app: 'db' }, podAntiAffinity: { required: [term('db', HOST)], preferred: [] } }),
          }),
        ],
      }),
    );
    const nodes = binds(r).map((b) => b.split(' ')[0]);
    expect(nodes.sort()).toEqual(['n-0', 'n-1']);
    expect(r.metric('cluster', 'pods_pending_max')).toBe(1);
    expect(r.metric('cluster', 'pending_pod_s')).toBe(3600);
  });
});

describe('topology spread', () => {
  it('most-allocated would pack one zone; maxSkew 1 keeps 6 replicas at 2 per zone', () => {
    // Zones round-robin over the pool: a, a, a, a, b, c.
    const r = run(
      scenario({
        horizonS: 60,
        scheduler: { policy: 'most-allocated', percentageOfNodesToScore: 0 },
        nodePools: [nodePool({ name: 'n', count: 6, zones: ['a', 'a', 'a', 'a', 'b', 'c'] })],
        workloads: [
          workload({ name: 'web', replicas: 6, template: podTemplate({ labels: { app: 'web' }, topologySpreadConstraints: [zoneSpread('web', 1)] }) }),
        ],
      }),
    );
    const zoneOf: Record<string, string> = { 'n-0': 'a', 'n-1': 'a', 'n-2': 'a', 'n-3': 'a', 'n-4': 'b', 'n-5': 'c' };
    const perZone: Record<string, number> = {};
    for (const b of binds(r)) perZone[zoneOf[b.split(' ')[0]!]!] = (perZone[zoneOf[b.split(' ')[0]!]!] ?? 0) + 1;
    expect(perZone).toEqual({ a: 2, b: 2, c: 2 });
  });
});

describe('the topology resolution shared by a point\'s replications', () => {
  const spread = () =>
    scenario({
      horizonS: 3600,
      scheduler: { policy: 'kube-default', percentageOfNodesToScore: 0 },
      nodePools: [nodePool({ name: 'n', count: 6, zones: ['a', 'a', 'b', 'b', 'c', 'c'] })],
      failures: [{ type: 'node-crash', target: { pools: [], names: [] }, mtbf: { dist: 'exponential', mean: 1800 }, repair: { dist: 'fixed', value: 600 }, atS: null, source: { file: 't', line: 1, col: 1 } }],
      workloads: [
        workload({ name: 'web', replicas: 5, template: podTemplate({ labels: { app: 'web' }, topologySpreadConstraints: [zoneSpread('web', 1)] }) }),
        workload({ name: 'db', replicas: 3, template: podTemplate({ labels: { app: 'db' }, podAntiAffinity: { required: [term('db', HOST)], preferred: [] } }) }),
      ],
    });

  it('is resolved once per workload list, and is what resolving the templates gives', () => {
    const s = spread();
    const r = scenarioTopology(s.workloads);
    expect(scenarioTopology(s.workloads)).toBe(r);
    expect(r).toEqual(resolveTopology(s.workloads.map(topologyTemplate)));
    expect(scenarioTopology(spread().workloads)).not.toBe(r); // another point: its own
  });

  it('replications that share it give what each gives with a resolution of its own', () => {
    const s = spread();
    const events = (r: ReturnType<typeof run>) => r.trace.map((t) => `${t.timeS} ${t.event} ${t.node} ${t.pod}`);
    const alone = [1, 2, 3].map((seed) => events(run(spread(), seed))); // a fresh workload list each
    const shared = [1, 2, 3, 1].map((seed) => events(run(s, seed)));
    expect(alone[0]!.filter((e) => e.includes('node-crash')).length).toBeGreaterThan(0);
    expect(shared).toEqual([...alone, alone[0]]);
  });
});

describe('pod affinity and the scheduling queue', () => {
  it('a pod waiting for its affinity target is retried after its 1 s backoff when the target binds', () => {
    // cache (created first, lower pod id) is tried first and fails: no web pod exists and it does
    // not match its own term. web then binds at t=0 in zone b, which wakes cache: it goes to the
    // backoff queue until 0 + 1 s and binds at t=1 into zone b (without the wake it would wait
    // for the 5-minute unschedulable flush).
    const r = run(
      scenario({
        horizonS: 600,
        scheduler: { policy: 'kube-default', percentageOfNodesToScore: 0 },
        nodePools: [nodePool({ name: 'a', count: 2, zones: ['a'] }), nodePool({ name: 'b', count: 1, zones: ['b'] })],
        workloads: [
          workload({ name: 'cache', replicas: 2, template: podTemplate({ labels: { app: 'cache' }, podAffinity: { required: [term('web', ZONE)], preferred: [] } }) }),
          workload({ name: 'web', replicas: 1, template: podTemplate({ labels: { app: 'web' }, nodeSelector: { [ZONE]: 'b' } }) }),
        ],
      }),
    );
    expect(r.events('pod-bound')).toEqual(['0 b-0 web-0', '1 b-0 cache-0', '1 b-0 cache-1']);
  });
});

describe('from manifests', () => {
  it('a StatefulSet with required hostname anti-affinity and zone spread, loaded from YAML: one pod per node, the 4th Pending', async () => {
    const { load, loaded, scenario: yaml } = await import('../scenario/helpers.js');
    const s = loaded(
      load(
        yaml(
          `  workloads:
    - apiVersion: apps/v1
      kind: StatefulSet
      metadata: {name: db}
      spec:
        replicas: 4
        podManagementPolicy: Parallel
        selector: {matchLabels: {app: db}}
        template:
          metadata: {labels: {app: db}}
          spec:
            containers: [{name: db}]
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  - {labelSelector: {matchLabels: {app: db}}, topologyKey: kubernetes.io/hostname}
            topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: db}}}
`,
          '  cluster:\n    nodePools:\n      - {name: g, count: 3, capacity: {cpu: "4", memory: 16Gi}, zones: [a, b, c]}\n',
        ),
      ),
    ).points[0]!.scenario;
    const r = run(s);
    // 3 nodes in zones a, b, c: one db pod each (anti-affinity); the 4th fits nowhere.
    expect(binds(r).map((b) => b.split(' ')[0]).sort()).toEqual(['g-0', 'g-1', 'g-2']);
    expect(r.metric('cluster', 'pods_pending_max')).toBe(1);
  });
});
