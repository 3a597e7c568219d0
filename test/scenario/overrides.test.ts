// --set PATH=VALUE and sweep axes.
import { describe, expect, test } from 'vitest';
import { isMap } from '../../src/scenario/cursor.js';
import { applyAssignment, parseOverrideValue, parsePath, type ParsedPath } from '../../src/scenario/overrides.js';
import { gridPoints } from '../../src/scenario/sweep.js';
import { errorsOf, FIXTURES, load, loaded, scenario } from './helpers.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

function path(text: string): ParsedPath {
  const r = parsePath(text);
  if (!r.ok) throw new Error(r.message);
  return r.path;
}

describe('paths', () => {
  test('grammar', () => {
    expect(path('scheduler.policy').segs).toEqual([
      { kind: 'key', name: 'scheduler' },
      { kind: 'key', name: 'policy' },
    ]);
    expect(path('spec.workloads[Deployment/web].spec.replicas').segs).toEqual(path('workloads[Deployment/web].spec.replicas').segs);
    expect(path('cluster.nodePools[0].capacity["nvidia.com/gpu"]').segs.at(-1)).toEqual({ kind: 'select', sel: 'nvidia.com/gpu' });
    expect(path("cluster.nodePools[general].labels['a.b/c']").segs.at(-1)).toEqual({ kind: 'select', sel: 'a.b/c' });
  });

  test('bad paths', () => {
    const msg = (t: string): string => {
      const r = parsePath(t);
      return r.ok ? 'ok' : r.message;
    };
    expect(msg('')).toBe('invalid path "": empty');
    expect(msg('a.')).toBe('invalid path "a.": ends with .');
    expect(msg('a[1')).toBe('invalid path "a[1": unclosed [');
    expect(msg('[0]')).toBe('invalid path "[0]": must start with a field name');
    expect(msg('a..b')).toBe('invalid path "a..b": empty field name at 3');
  });

  test('--set values are YAML scalars', () => {
    expect(parseOverrideValue('6')).toBe(6);
    expect(parseOverrideValue('true')).toBe(true);
    expect(parseOverrideValue('25%')).toBe('25%');
    expect(parseOverrideValue('most-allocated')).toBe('most-allocated');
    expect(parseOverrideValue('"6"')).toBe('6');
    expect(parseOverrideValue('[a/, b/]')).toEqual(['a/', 'b/']);
    expect(parseOverrideValue('a: b')).toBe('a: b'); // only flow collections become maps
    expect(parseOverrideValue('#x')).toBe('#x');
    expect(parseOverrideValue('')).toBeNull(); // unset: the default applies
    expect(parseOverrideValue('null')).toBeNull();
  });

  test('applyAssignment on plain data', () => {
    const spec: Record<string, unknown> = { cluster: { nodePools: [{ name: 'a', count: 1 }, { name: 'b', count: 2 }] } };
    const set = (p: string, value: unknown): string => {
      const r = applyAssignment({ path: path(p), value, valuePos: null, note: 'test' }, spec, []);
      return r.ok ? 'ok' : r.message;
    };
    expect(set('cluster.nodePools[b].count', 5)).toBe('ok');
    expect(set('cluster.nodePools[0].count', 7)).toBe('ok');
    expect(set('output.timeseries', '5m')).toBe('ok'); // intermediate maps are created
    expect(spec).toEqual({ cluster: { nodePools: [{ name: 'a', count: 7 }, { name: 'b', count: 5 }] }, output: { timeseries: '5m' } });
    expect(set('cluster.nodePools[c].count', 1)).toBe('spec.cluster.nodePools: no element [c] (have: a, b)');
    expect(set('cluster.nodePools[5].count', 1)).toBe('spec.cluster.nodePools: index 5 is out of range (the list has 2 items)');
    expect(set('cluster.nodePools.count', 1)).toBe('spec.cluster.nodePools is a list; select an element with [KIND/NAME], [NAME] or [INDEX]');
    expect(set('failures[0].at', 1)).toBe('spec.failures does not exist');
    expect(set('cluster.nodePools[a].count.x', 1)).toBe('spec.cluster.nodePools[a].count is 7, not a map or a list');
    expect(set('cluster.nodePools[a].count', null)).toBe('ok');
    expect(isMap(spec.cluster) && Array.isArray(spec.cluster.nodePools) && spec.cluster.nodePools[0]).toEqual({ name: 'a' });
  });
});

describe('--set on a scenario', () => {
  test('overrides any scenario field, including manifests from files', () => {
    const l = loaded(
      loadScenarioFile(`${FIXTURES}/basic/scenario.yaml`, [
        { path: 'seed', value: '7' },
        { path: 'cluster.nodePools[general].count', value: '10' },
        { path: 'workloads[Deployment/trainer].spec.replicas', value: '4' },
        { path: 'workloads[node-exporter].spec.template.spec.terminationGracePeriodSeconds', value: '3' },
        { path: 'output.timeseries', value: '' },
      ]),
    );
    const s = l.points[0]!.scenario;
    expect(s.seed).toBe(7);
    expect(s.nodePools[0]!.count).toBe(10);
    expect(s.workloads.find((w) => w.name === 'trainer')!.replicas).toBe(4);
    expect(s.workloads.find((w) => w.name === 'node-exporter')!.template.terminationGracePeriodS).toBe(3);
    expect(s.output.timeseriesStepS).toBeNull(); // an empty value unsets the field
  });

  test('an override that produces a bad value is reported where the value was, naming the override', () => {
    expect(
      errorsOf(
        load(scenario(`  replications: 3
  workloads:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}}
`), [
          { path: 'replications', value: '0' },
          { path: 'workloads[p].spec.terminationGracePeriodSeconds', value: 'soon' },
          { path: 'cluster.nodePools[general].capacity.memory', value: '12K' },
        ]),
      ),
    ).toEqual([
      's.yaml:8:64: spec.cluster.nodePools[0].capacity.memory: invalid quantity "12K": unknown suffix "K" (Kubernetes suffixes are case-sensitive: use k or Ki) (from --set cluster.nodePools[general].capacity.memory=12K)',
      's.yaml:9:17: spec.replications must be >= 1, got 0 (from --set replications=0)',
      // the field did not exist: its object's position
      's.yaml:11:62: Pod "p": spec.terminationGracePeriodSeconds must be an integer, got "soon" (from --set workloads[p].spec.terminationGracePeriodSeconds=soon)',
    ]);
  });

  test('unresolvable paths are errors naming the path', () => {
    expect(
      errorsOf(
        load(scenario(''), [
          { path: 'cluster.nodePools[gpu].count', value: '3' },
          { path: 'workloads[Deployment/web].spec.replicas', value: '3' },
          { path: 'a[', value: '3' },
          { path: 'sweep[0].values', value: '[1]' },
        ]),
      ),
    ).toEqual([
      's.yaml:1:1: --set a[=3: invalid path "a[": unclosed [',
      's.yaml:1:1: --set sweep[0].values=[1]: the sweep cannot be overridden; set one of its paths instead',
      // positions: the spec map (its first key), the nodePools list (its first item)
      's.yaml:5:3: --set workloads[Deployment/web].spec.replicas=3: workloads: no element [Deployment/web] (the list is empty)',
      's.yaml:8:7: --set cluster.nodePools[gpu].count=3: spec.cluster.nodePools: no element [gpu] (have: general)',
    ]);
  });

  test('a typo in an override path is an unknown field, named after the override', () => {
    expect(errorsOf(load(scenario(''), [{ path: 'schedular.policy', value: 'x' }]))).toEqual([
      // the created key has no position of its own: the spec map's
      's.yaml:5:3: spec.schedular: unknown field "schedular" (did you mean "scheduler"?) (from --set schedular.policy=x)',
    ]);
  });

  test('a typo inside a block the override creates is reported in the file, not at <override>:1:1', () => {
    for (const o of [{ path: 'scheduler.polcy', value: 'x' }, { path: 'scheduler', value: '{polcy: x}' }]) {
      expect(errorsOf(load(scenario(''), [o]))).toEqual([
        // no scheduler block in the file: the position of the spec map that now holds one
        `s.yaml:5:3: spec.scheduler.polcy: unknown field "polcy" (did you mean "policy"?) (from --set ${o.path}=${o.value})`,
      ]);
    }
  });

  test('[NAME] prefers the workload when a Service shares its name; ambiguity is an error', () => {
    const text = scenario(`  workloads:
    - {apiVersion: v1, kind: Service, metadata: {name: web}}
    - {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {containers: [{name: c}]}}
    - {apiVersion: apps/v1, kind: ReplicaSet, metadata: {name: dup}, spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}}
    - {apiVersion: v1, kind: Pod, metadata: {name: dup}, spec: {containers: [{name: c}]}}
`);
    const s = loaded(load(text, [{ path: 'workloads[web].spec.terminationGracePeriodSeconds', value: '9' }])).points[0]!.scenario;
    expect(s.workloads.find((w) => w.key === 'Pod/web')!.template.terminationGracePeriodS).toBe(9);
    expect(errorsOf(load(text, [{ path: 'workloads[dup].spec.replicas', value: '2' }]))).toEqual([
      's.yaml:5:3: --set workloads[dup].spec.replicas=2: workloads: [dup] is ambiguous: it matches ReplicaSet/dup, Pod/dup; use [KIND/NAME] or [INDEX]',
    ]);
  });
});

describe('sweep', () => {
  test('grid order: first axis slowest', () => {
    expect(gridPoints([2, 3])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(gridPoints([])).toEqual([[]]);
  });

  test('the cartesian product of the axes, reaching workloads of manifest files', () => {
    const l = loaded(loadScenarioFile(`${FIXTURES}/basic/scenario.yaml`));
    expect(l.sweepParamNames).toEqual(['scheduler.policy', 'workloads[Deployment/web].spec.replicas']);
    expect(l.points.map((p) => [p.index, p.params])).toEqual([
      [0, { 'scheduler.policy': 'kube-default', 'workloads[Deployment/web].spec.replicas': '6' }],
      [1, { 'scheduler.policy': 'kube-default', 'workloads[Deployment/web].spec.replicas': '9' }],
      [2, { 'scheduler.policy': 'kube-default', 'workloads[Deployment/web].spec.replicas': '12' }],
      [3, { 'scheduler.policy': 'most-allocated', 'workloads[Deployment/web].spec.replicas': '6' }],
      [4, { 'scheduler.policy': 'most-allocated', 'workloads[Deployment/web].spec.replicas': '9' }],
      [5, { 'scheduler.policy': 'most-allocated', 'workloads[Deployment/web].spec.replicas': '12' }],
    ]);
    expect(l.points.map((p) => [p.scenario.scheduler.policy, p.scenario.workloads.find((w) => w.name === 'web')!.replicas])).toEqual([
      ['kube-default', 6],
      ['kube-default', 9],
      ['kube-default', 12],
      ['most-allocated', 6],
      ['most-allocated', 9],
      ['most-allocated', 12],
    ]);
    expect(l.points[0]!.scenario.sweep.map((a) => [a.path, a.values])).toEqual([
      ['scheduler.policy', ['kube-default', 'most-allocated']],
      ['workloads[Deployment/web].spec.replicas', [6, 9, 12]],
    ]);
  });

  test('no sweep: exactly one point', () => {
    const l = loaded(load(scenario('')));
    expect(l.sweepParamNames).toEqual([]);
    expect(l.points.map((p) => [p.index, p.params])).toEqual([[0, {}]]);
  });

  test('--set of a swept path wins and removes the axis', () => {
    const l = loaded(loadScenarioFile(`${FIXTURES}/basic/scenario.yaml`, [{ path: 'spec.scheduler.policy', value: 'first-fit' }]));
    expect(l.sweepParamNames).toEqual(['workloads[Deployment/web].spec.replicas']);
    expect(l.points.map((p) => p.scenario.scheduler.policy)).toEqual(['first-fit', 'first-fit', 'first-fit']);
    expect(l.warnings).toContain(
      `${FIXTURES}/basic/scenario.yaml:48:7: warning: sweep axis scheduler.policy is fixed by --set spec.scheduler.policy=first-fit; the axis is dropped`,
    );
  });

  test('a sweep value that is invalid is reported at the value, for its point only', () => {
    expect(
      errorsOf(
        load(
          scenario(`  sweep:
    - {set: replications, values: [1, 0, 2]}
    - {set: 'cluster.nodePools[nope].count', values: [1]}
    - {set: replications, values: [3]}
    - {set: "x[", values: [1]}
`),
        ),
      ),
    ).toEqual([
      's.yaml:10:39: spec.replications must be >= 1, got 0 (from sweep replications=0)',
      's.yaml:11:13: sweep cluster.nodePools[nope].count=1: spec.cluster.nodePools: no element [nope] (have: general)',
      's.yaml:12:13: spec.sweep[2].set: replications is already swept by another axis (10:7)',
      's.yaml:13:13: spec.sweep[3].set: invalid path "x[": unclosed [',
    ]);
  });
});
