// Failure and disruption targets: an entry applies to the nodes in both `pools` and `names`
// (sim/failures/node-crash.ts arm, sim/disruption/drain.ts startEntry), so lists that share no
// node, a name outside the pools, or an empty list (which would mean every node) are errors at
// the entry or the list, never an entry that silently does nothing or everything.
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

// Pools a (a-0, a-1) and b (b-0, b-1); line 8 is the first pool.
const CLUSTER = `  cluster:
    nodePools:
      - {name: a, count: 2, capacity: {cpu: "4", memory: 16Gi}}
      - {name: b, count: 2, capacity: {cpu: "4", memory: 16Gi}}
`;
const withEntries = (key: 'failures' | 'disruptions', entries: string[]) => scenario(`  ${key}:\n${entries.map((e) => `    - ${e}\n`).join('')}`, CLUSTER);

describe('pools and names with no node in common', () => {
  // Line 11 holds the first entry, its map at column 7.
  test.each([
    ['failures', '{type: node-crash, pools: [a], names: [b-0], at: 1h}'],
    ['failures', '{type: node-crash, pools: [a], names: [b-0, b-1], mtbf: 3d}'],
    ['disruptions', '{type: drain, pools: [a], names: [b-1], at: 1h}'],
  ] as const)('%s %s: an error at the entry', (key, entry) => {
    const errs = errorsOf(load(withEntries(key, [entry])));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(new RegExp(`^s\\.yaml:11:7: spec\\.${key}\\[0\\]: pools \\[a\\] and names \\[b-[01](, b-1)?\\] have no node in common, so the entry targets nothing`));
  });

  test('a name outside the pools, beside one inside: an error at that name', () => {
    const errs = errorsOf(load(withEntries('failures', ['{type: node-crash, pools: [a], names: [a-1, b-0], at: 1h}'])));
    expect(errs).toEqual([
      's.yaml:11:51: spec.failures[0].names[1]: node "b-0" is not in pools [a], so the entry would ignore it (it applies to the nodes in both lists)',
    ]);
  });

  test('names inside the pools load, as do either list alone', () => {
    const s = loaded(
      load(
        withEntries('failures', [
          '{type: node-crash, pools: [a, b], names: [a-1, b-0], at: 1h}',
          '{type: node-crash, names: [b-1], at: 2h}',
          '{type: node-crash, pools: [b], mtbf: 3d}',
        ]),
      ),
    ).points[0]!.scenario;
    expect(s.failures.map((f) => (f.type === 'zone-outage' ? null : f.target))).toEqual([
      { pools: ['a', 'b'], names: ['a-1', 'b-0'] },
      { pools: [], names: ['b-1'] },
      { pools: ['b'], names: [] },
    ]);
    const d = loaded(load(withEntries('disruptions', ['{type: drain, pools: [b], names: [b-1], at: 1h}']))).points[0]!.scenario;
    expect(d.disruptions[0]).toMatchObject({ type: 'drain', target: { pools: ['b'], names: ['b-1'] } });
  });
});

describe('an empty list would mean every node', () => {
  test.each([
    ['failures', '{type: node-crash, pools: [], mtbf: 3d}', 'pools', 'must list at least one node pool; omit it to target every pool'],
    ['failures', '{type: node-crash, names: [], at: 1h}', 'names', 'must list at least one node; omit it to target every node'],
    ['failures', '{type: spot-interruption, pools: [], mtbf: 3d}', 'pools', 'must list at least one node pool; omit it to target every pool'],
    ['disruptions', '{type: drain, pools: [], nodes: 1, at: 1h}', 'pools', 'must list at least one node pool; omit it to target every pool'],
    ['disruptions', '{type: drain, names: [], at: 1h}', 'names', 'must list at least one node; omit it to target every node'],
    ['disruptions', '{type: rolling-node-upgrade, pools: [], at: 1h}', 'pools', 'must list at least one node pool; omit it to target every pool'],
  ] as const)('%s %s', (key, entry, list, message) => {
    const errs = errorsOf(load(withEntries(key, [entry])));
    const col = `    - ${entry}`.indexOf(`${list}: [`) + list.length + 3; // the `[` of the list
    expect(errs).toEqual([`s.yaml:11:${col}: spec.${key}[0].${list}: ${message}`]);
  });
});
