// Sweep axes and --set paths that name the same field, or one inside the other, in whatever
// spelling (`workloads[0]` = `workloads[Deployment/checkout]` here): no point may be labelled
// with a value it did not run. Base: scenarios/web-under-failures.yaml, whose objects are, in
// order, 0 Deployment/checkout, 1 PodDisruptionBudget/checkout, 2 Service/checkout,
// 3 ConfigMap/checkout-config, 4 DaemonSet/node-agent, 5 Deployment/reports.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { overlap, parsePath, resolveTarget, type Target } from '../../src/scenario/overrides.js';
import type { Override } from '../../src/scenario/load.js';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const BASE = readFileSync('scenarios/web-under-failures.yaml', 'utf8');
/** The sweep starts on line BASE_LINES + 2, its first axis at column 7. */
const BASE_LINES = BASE.split('\n').length - 1;

/** web-under-failures with these axes (`{set: ..., values: ...}` flow maps), loaded as s.yaml. */
function sweep(axes: string[], overrides: Override[] = []) {
  return load(`${BASE}  sweep:\n${axes.map((a) => `    - ${a}\n`).join('')}`, overrides, 'scenarios');
}

const line = (axis: number) => BASE_LINES + 2 + axis;
const set = (path: string, value: string): Override => ({ path, value });
const checkoutReplicas = (l: ReturnType<typeof loaded>) => l.points.map((p) => p.scenario.workloads.find((w) => w.name === 'checkout')!.replicas);

describe('resolveTarget', () => {
  const spec = { cluster: { nodePools: [{ name: 'general', capacity: { cpu: '4', 'nvidia.com/gpu': 1 } }] }, failures: [{ type: 'node-crash', mtbf: '30d' }] };
  const objects = { objects: [{ kind: 'Deployment', metadata: { name: 'web' } }, { kind: 'Service', metadata: { name: 'web' } }, { kind: 'Pod', metadata: { name: 'p' } }], fromFiles: 2 };
  const target = (text: string): Target => {
    const p = parsePath(text);
    if (!p.ok) throw new Error(p.message);
    return resolveTarget(p.path, spec, objects);
  };

  test.each([
    ['cluster.nodePools[0].capacity.cpu', 'cluster.nodePools[general].capacity[cpu]', ['.cluster', '.nodePools', '#0', '.capacity', '.cpu']],
    ['spec.cluster.nodePools[general].capacity["nvidia.com/gpu"]', "cluster.nodePools[0].capacity['nvidia.com/gpu']", ['.cluster', '.nodePools', '#0', '.capacity', '.nvidia.com/gpu']],
    ['failures[0].mtbf', 'failures[node-crash].mtbf', ['.failures', '#0', '.mtbf']],
    // [NAME] prefers the workload over the Service of the same name, as applyAssignment does
    ['workloads[0].spec.replicas', 'workloads[web].spec.replicas', ['@workloads', '#0', '.spec', '.replicas']],
    ['workloads[Deployment/web].spec.replicas', 'workloads["Deployment/web"].spec.replicas', ['@workloads', '#0', '.spec', '.replicas']],
    // an inline object sits under the inline list `workloads`
    ['workloads[2].spec', 'workloads[Pod/p].spec', ['.workloads', '#2', '.spec']],
  ])('%s and %s name one field', (a, b, expected) => {
    expect(target(a)).toEqual(expected);
    expect(target(b)).toEqual(expected);
  });

  test('what the scenario cannot resolve stays as written', () => {
    expect(target('failures[crash].mtbf')).toEqual(['.failures', '[crash]', '.mtbf']);
    expect(target('disruptions[0].at')).toEqual(['.disruptions', '[0]', '.at']);
    expect(target('workloads[Job/x].spec')).toEqual(['@workloads', '[Job/x]', '.spec']);
  });

  test('overlap', () => {
    expect(overlap(target('failures[0]'), target('failures[node-crash]'))).toBe('same');
    expect(overlap(target('failures[0]'), target('failures[node-crash].mtbf'))).toBe('contains');
    expect(overlap(target('failures[0].mtbf'), target('failures[0]'))).toBe('inside');
    expect(overlap(target('failures[0].mtbf'), target('failures[0].repair'))).toBeNull();
    expect(overlap(target('workloads'), target('workloads[Pod/p].spec'))).toBe('contains');
    expect(overlap(target('workloads'), target('workloads[Deployment/web].spec'))).toBeNull(); // from a manifest file
  });
});

describe('--set of an axis field, in another spelling or of a field containing it, drops the axis', () => {
  test.each(['workloads[0].spec.replicas', 'spec.workloads[checkout].spec.replicas'])(
    '--set %s=7 pins the axis workloads[Deployment/checkout].spec.replicas',
    (path) => {
      const l = loaded(sweep(['{set: "workloads[Deployment/checkout].spec.replicas", values: [5, 6, 9]}'], [set(path, '7')]));
      expect(l.sweepParamNames).toEqual([]);
      expect(checkoutReplicas(l)).toEqual([7]);
      expect(l.warnings).toContain(`s.yaml:${line(0)}:7: warning: sweep axis workloads[Deployment/checkout].spec.replicas is fixed by --set ${path}=7; the axis is dropped`);
    },
  );

  test('--set scheduler={...} pins every axis inside scheduler, and only those', () => {
    const l = loaded(
      sweep(
        ['{set: scheduler.policy, values: [kube-default, most-allocated]}', '{set: scheduler.percentageOfNodesToScore, values: [0, 50]}', '{set: "failures[0].mtbf", values: [1d, 30d]}'],
        [
          set('scheduler', '{policy: first-fit}'),
          set('failures[node-crash].repair', '1h'), // beside the axis failures[0].mtbf
          set('workloads', ''), // the inline list: web-under-failures' objects come from files
        ],
      ),
    );
    expect(l.sweepParamNames).toEqual(['failures[0].mtbf']);
    expect(l.warnings.filter((w) => w.includes('sweep axis'))).toHaveLength(2);
    expect(l.points.map((p) => [p.scenario.scheduler.policy, p.scenario.scheduler.percentageOfNodesToScore])).toEqual([
      ['first-fit', 0],
      ['first-fit', 0],
    ]);
    expect(l.warnings).toEqual(
      expect.arrayContaining([
        `s.yaml:${line(0)}:7: warning: sweep axis scheduler.policy is fixed by --set scheduler={policy: first-fit}; the axis is dropped`,
        `s.yaml:${line(1)}:7: warning: sweep axis scheduler.percentageOfNodesToScore is fixed by --set scheduler={policy: first-fit}; the axis is dropped`,
      ]),
    );
  });

  test('--set of the inline list workloads pins an axis on an inline object', () => {
    const text = scenario(`  workloads:
    - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}}
  sweep:
    - {set: "workloads[Pod/p].spec.terminationGracePeriodSeconds", values: [1, 2]}
`);
    const l = loaded(load(text, [set('workloads', '[{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {terminationGracePeriodSeconds: 9, containers: [{name: c}]}}]')]));
    expect(l.sweepParamNames).toEqual([]);
    expect(l.points.map((p) => p.scenario.workloads[0]!.template.terminationGracePeriodS)).toEqual([9]);
  });
});

describe('overlapping axes are an error at the later one', () => {
  test.each([
    {
      axes: ['{set: "failures[0].mtbf", values: [1d, 30d]}', '{set: "failures[0]", values: [{type: node-crash, pools: [general], mtbf: 3d}]}'],
      message: `spec.sweep[1].set: failures[0] contains failures[0].mtbf, which another axis sweeps (${line(0)}:7): points would not run the values their labels show; vary it inside this axis's values instead`,
    },
    {
      axes: ['{set: "failures[0]", values: [{type: node-crash, pools: [general], mtbf: 3d}]}', '{set: "failures[node-crash].mtbf", values: [1d, 30d]}'],
      message: `spec.sweep[1].set: failures[node-crash].mtbf is part of failures[0], which another axis sweeps (${line(0)}:7): points would not run the values their labels show; vary it inside that axis's values instead`,
    },
    {
      axes: ['{set: "workloads[Deployment/checkout].spec.replicas", values: [5, 6]}', '{set: "workloads[0].spec.replicas", values: [9]}'],
      message: `spec.sweep[1].set: workloads[0].spec.replicas is already swept by another axis (${line(0)}:7, as workloads[Deployment/checkout].spec.replicas)`,
    },
    {
      axes: ['{set: "cluster.nodePools[general].capacity.cpu", values: ["8"]}', '{set: "cluster.nodePools[0].capacity[cpu]", values: ["16"]}'],
      message: `spec.sweep[1].set: cluster.nodePools[0].capacity[cpu] is already swept by another axis (${line(0)}:7, as cluster.nodePools[general].capacity.cpu)`,
    },
  ])('$axes.1 after $axes.0', ({ axes, message }) => {
    expect(errorsOf(sweep(axes))).toEqual([`s.yaml:${line(1)}:13: ${message}`]);
  });
});

describe('--set inside an axis field is an error at the axis', () => {
  test.each(['failures[0].mtbf', 'failures[0].repair'])('--set %s=3d with the axis failures[node-crash]', (path) => {
    const r = sweep(['{set: "failures[node-crash]", values: [{type: node-crash, pools: [general], mtbf: 1d}, {type: node-crash, pools: [general], mtbf: 30d}]}'], [set(path, '3d')]);
    expect(errorsOf(r)).toEqual([
      `s.yaml:${line(0)}:7: --set ${path}=3d changes part of what sweep axis failures[node-crash] sets, so its points would not run the values their labels show; ` +
        'put the field in the axis\'s values, or pin the axis with --set failures[node-crash]=VALUE',
    ]);
  });
});
