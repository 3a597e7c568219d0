// Settings that load but cannot have an effect are positioned warnings (the run goes on):
// behavior.runtime on a workload that is not a Job, an slo minReady above what the workload can
// have Ready, a PodDisruptionBudget that selects no workload, a manifest file with no object.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from '../../src/scenario/load.js';
import { load, loaded, scenario } from './helpers.js';

const warningsOf = (r: LoadResult): string[] => {
  loaded(r); // no errors
  return r.warnings;
};

// Lines 10-23: Deployment web (3 replicas), Job batch (parallelism 2).
const WORKLOADS = `  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, resources: {requests: {cpu: 100m}}}]}}
    - apiVersion: batch/v1
      kind: Job
      metadata: {name: batch}
      spec:
        parallelism: 2
        completions: 10
        template: {metadata: {labels: {app: batch}}, spec: {restartPolicy: Never, containers: [{name: c}]}}
`;
const HPA = `    - apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: {name: web}
      spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 3, maxReplicas: 8}
`;
const PDB = (selector: string) => `    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: guard}
      spec: {minAvailable: 1, selector: ${selector}}
`;

describe('behavior.runtime', () => {
  test('matching a Deployment: a warning at runtime naming it', () => {
    const w = warningsOf(load(scenario(`${WORKLOADS}  behavior:\n    - {match: {kind: Deployment, name: web}, runtime: 20m}\n`)));
    // line 25: `    - {match: {kind: Deployment, name: web}, runtime: 20m}`, the value at column 55
    expect(w).toEqual([
      "s.yaml:25:55: warning: spec.behavior[0].runtime: applies only to Jobs and CronJobs (a pod's time from Ready to completion); ignored for Deployment/web",
    ]);
  });

  test('a rule matching a Job and a Deployment: the warning names the Deployment; a Job alone: none', () => {
    const both = warningsOf(load(scenario(`${WORKLOADS}  behavior:\n    - {runtime: 20m}\n`)));
    expect(both).toHaveLength(1);
    expect(both[0]).toMatch(/ignored for Deployment\/web$/);
    expect(warningsOf(load(scenario(`${WORKLOADS}  behavior:\n    - {match: {kind: Job}, runtime: 20m, startup: 5s}\n    - {startup: 5s, shutdown: 1s}\n`)))).toEqual([]);
  });
});

describe('slo minReady', () => {
  test('above the replicas: a warning at minReady; availability would be 0', () => {
    const w = warningsOf(load(scenario(`${WORKLOADS}  slo:\n    - {match: {kind: Deployment, name: web}, minReady: 4}\n`)));
    expect(w).toEqual([
      "s.yaml:25:56: warning: spec.slo[0].minReady: 4 Ready pods is more than Deployment/web (3) can have (replicas, an HPA's maxReplicas, a Job's parallelism), " +
        'so availability is 0 by construction; lower minReady or give it as a percentage',
    ]);
  });

  test("a Job: above its parallelism warns; at the replicas, a percentage or within an HPA's maxReplicas: no warning", () => {
    const job = warningsOf(load(scenario(`${WORKLOADS}  slo:\n    - {match: {kind: Job}, minReady: 3}\n`)));
    expect(job).toHaveLength(1);
    expect(job[0]).toContain('more than Job/batch (2) can have');
    expect(warningsOf(load(scenario(`${WORKLOADS}  slo:\n    - {match: {name: web}, minReady: 3}\n    - {match: {name: batch}, minReady: 100%}\n`)))).toEqual([]);
    const scaled = load(scenario(`${WORKLOADS}${HPA}  slo:\n    - {match: {name: web}, minReady: 6}\n`));
    // The HPA's own warning (no traffic behind it) is the only one.
    expect(warningsOf(scaled).filter((w) => w.includes('minReady'))).toEqual([]);
    const over = warningsOf(load(scenario(`${WORKLOADS}${HPA}  slo:\n    - {match: {name: web}, minReady: 9}\n`)));
    expect(over.filter((w) => w.includes('minReady'))[0]).toContain('more than Deployment/web (8) can have');
  });
});

describe('a PodDisruptionBudget that selects no workload', () => {
  test('a warning at the PDB', () => {
    const w = warningsOf(load(scenario(`${WORKLOADS}${PDB('{matchLabels: {app: wbe}}')}`)));
    // line 24: `    - apiVersion: policy/v1`, the object at column 7
    expect(w).toEqual(['s.yaml:24:7: warning: PodDisruptionBudget "guard": its selector matches no workload\'s pods in namespace "default", so it guards nothing']);
  });

  test('one that selects a workload, or pods of another namespace: as expected', () => {
    expect(warningsOf(load(scenario(`${WORKLOADS}${PDB('{matchLabels: {app: web}}')}`)))).toEqual([]);
    expect(warningsOf(load(scenario(`${WORKLOADS}${PDB('{matchExpressions: [{key: app, operator: In, values: [batch]}]}')}`)))).toEqual([]);
    const other = warningsOf(load(scenario(`${WORKLOADS}${PDB('{matchLabels: {app: web}}').replace('{name: guard}', '{name: guard, namespace: prod}')}`)));
    expect(other).toHaveLength(1);
    expect(other[0]).toContain('in namespace "prod"');
  });
});

describe('a manifest file with no object', () => {
  test('a warning at the file, whether named or found in a folder; once per load, also with a sweep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-'));
    writeFileSync(join(dir, 'empty.yaml'), '# nothing here yet\n---\n');
    writeFileSync(join(dir, 'web.yaml'), WORKLOADS.replace('  workloads:\n', '').replace(/^ {4}- /gm, '---\n').replace(/^ {6}/gm, ''));
    const text = scenario('  manifests: [empty.yaml, .]\n  sweep:\n    - {set: replications, values: [1, 2]}\n');
    const w = warningsOf(load(text, [], dir));
    expect(w).toEqual([`${dir}/empty.yaml:1:1: warning: no Kubernetes objects in this file (it is empty or holds only comments)`]);
    expect(loaded(load(text, [], dir)).points[0]!.scenario.workloads.map((x) => x.key)).toEqual(['Deployment/web', 'Job/batch']);
  });
});
