// A pool's topology.kubernetes.io/zone label is its zone (as it is for explicit Node manifests):
// without `zones` it is the pool's one zone, for zone-outage and the node table alike; with
// `zones`, which write that label round-robin, a different value is an error at the label.
import { describe, expect, test } from 'vitest';
import { nodeInits } from '../../src/sim/cluster/node-inits.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const pool = (extra: string) => `  cluster:\n    nodePools:\n      - {name: p, count: 2, capacity: {cpu: "4", memory: 16Gi}${extra}}\n`;

describe('the zone label of a pool', () => {
  test('without zones: the pool is in that zone, and a zone-outage of it loads', () => {
    const s = loaded(load(scenario('  failures:\n    - {type: zone-outage, zone: y, at: 1h, duration: 1h}\n', pool(', labels: {topology.kubernetes.io/zone: y}')))).points[0]!.scenario;
    expect(s.nodePools[0]!.zones).toEqual(['y']);
    expect(s.failures).toMatchObject([{ type: 'zone-outage', zone: 'y' }]);
    // Every node is in zone y, and carries the label once.
    expect(nodeInits(s).map((n) => [n.name, n.zone, n.labels['topology.kubernetes.io/zone']])).toEqual([
      ['p-0', 'y', 'y'],
      ['p-1', 'y', 'y'],
    ]);
  });

  test('with zones that agree (the one zone it names): accepted', () => {
    const s = loaded(load(scenario('', pool(', zones: [y], labels: {topology.kubernetes.io/zone: y}')))).points[0]!.scenario;
    expect(nodeInits(s).map((n) => n.zone)).toEqual(['y', 'y']);
  });

  test.each([
    [', zones: [x], labels: {topology.kubernetes.io/zone: y}', '[x]'],
    [', zones: [x, y], labels: {topology.kubernetes.io/zone: y}', '[x, y]'],
  ])('with zones that differ%s: an error at the label', (extra, zones) => {
    const errs = errorsOf(load(scenario('', pool(extra))));
    const line = `      - {name: p, count: 2, capacity: {cpu: "4", memory: 16Gi}${extra}}`;
    const col = line.indexOf('zone: y}') + 7; // the value `y`
    expect(errs).toEqual([
      `s.yaml:8:${col}: spec.cluster.nodePools[0].labels["topology.kubernetes.io/zone"]: conflicts with zones ${zones}, which set topology.kubernetes.io/zone on the pool's nodes round-robin: give the zone in one place (zones: [y], or drop the label)`,
    ]);
  });

  test('from --set on the label: the same check, naming the flag', () => {
    const errs = errorsOf(load(scenario('', pool(', zones: [x], labels: {topology.kubernetes.io/zone: x}')), [{ path: 'cluster.nodePools[p].labels["topology.kubernetes.io/zone"]', value: 'y' }]));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain('conflicts with zones [x]');
    expect(errs[0]).toContain('(from --set cluster.nodePools[p].labels["topology.kubernetes.io/zone"]=y)');
  });
});
