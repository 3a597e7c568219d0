// A scenario has at most MAX_NODES (100,000) nodes, per pool and in all: beyond it a replication
// ran out of V8 heap (exit 134) instead of being refused as input.
import { describe, expect, test } from 'vitest';
import { MAX_NODES } from '../../src/scenario/cluster.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const WHY = "a scenario's limit, 20 times the 5,000 nodes per cluster Kubernetes supports";
const pools = (...counts: (number | string)[]) =>
  `  cluster:\n    nodePools:\n${counts.map((c, i) => `      - {name: p${i}, count: ${c}, capacity: {cpu: "4", memory: 16Gi}}\n`).join('')}`;

describe('node count limit', () => {
  test('is 100,000', () => {
    expect(MAX_NODES).toBe(100_000);
  });

  test('count: 1e9 is an error at the count', () => {
    // line 8: `      - {name: p0, count: 1e9, ...}`, the count at column 27
    expect(errorsOf(load(scenario('', pools('1e9'))))).toEqual([`s.yaml:8:27: spec.cluster.nodePools[0].count: must be at most 100000 (${WHY}), got 1000000000`]);
  });

  test('via --set: the same, naming the flag', () => {
    expect(errorsOf(load(scenario('', pools(3)), [{ path: 'cluster.nodePools[p0].count', value: '1e9' }]))).toEqual([
      `s.yaml:8:27: spec.cluster.nodePools[0].count: must be at most 100000 (${WHY}), got 1000000000 (from --set cluster.nodePools[p0].count=1e9)`,
    ]);
  });

  test('in all: an error at the count of the pool that passes the limit', () => {
    expect(errorsOf(load(scenario('', pools(60000, 40000, 1, 5))))).toEqual([
      `s.yaml:10:27: spec.cluster.nodePools[2].count: brings the node pools to 100001 nodes in all, more than 100000 (${WHY})`,
    ]);
  });

  test('explicit nodes count too', () => {
    const node = '    - {apiVersion: v1, kind: Node, metadata: {name: extra}, status: {allocatable: {cpu: "4", memory: 16Gi}}}\n';
    const errs = errorsOf(load(scenario(`  workloads:\n${node}`, pools(100000))));
    expect(errs).toEqual([`s.yaml:10:7: Node "extra": brings the cluster to more than 100000 nodes (${WHY})`]);
  });

  test('the autoscaler max: per pool', () => {
    const errs = errorsOf(load(scenario('  autoscaling:\n    cluster: {pools: [p0], max: 200000}\n', pools(3))));
    expect(errs).toEqual([`s.yaml:10:33: spec.autoscaling.cluster.max: must be at most 100000 (${WHY}), got 200000`]);
  });

  test('exactly the limit loads; editors see it in the schema', () => {
    expect(loaded(load(scenario('', pools(60000, 40000)))).points[0]!.scenario.nodePools.map((p) => p.count)).toEqual([60000, 40000]);
    const schema = JSON.stringify(scenarioJsonSchema());
    expect(schema).toContain('"description":"Number of nodes (at most 100000 in all).","minimum":0,"maximum":100000');
  });
});
