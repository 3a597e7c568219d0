// Every problem is reported as `FILE:LINE:COL: message` (1-based), all of them at once.
import { describe, expect, test } from 'vitest';
import { Diagnostics, ScenarioError } from '../../src/scenario/errors.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { errorsOf, FIXTURES, load, scenario } from './helpers.js';

describe('ScenarioError and Diagnostics', () => {
  test('format', () => {
    expect(new ScenarioError('a.yaml', 3, 7, 'boom').format()).toBe('a.yaml:3:7: boom');
  });

  test('sorted by file (in registration order), line, column; duplicates dropped', () => {
    const d = new Diagnostics();
    d.registerFile('s.yaml');
    d.error({ file: 'm.yaml', line: 1, col: 1 }, 'in manifest');
    d.error({ file: 's.yaml', line: 9, col: 2 }, 'late');
    d.error({ file: 's.yaml', line: 2, col: 5 }, 'early');
    d.error({ file: 's.yaml', line: 2, col: 5 }, 'early');
    d.warn({ file: 's.yaml', line: 4, col: 1 }, 'careful');
    expect(d.errors().map((e) => e.format())).toEqual(['s.yaml:2:5: early', 's.yaml:9:2: late', 'm.yaml:1:1: in manifest']);
    expect(d.warnings()).toEqual(['s.yaml:4:1: warning: careful']);
  });
});

describe('scenario errors, exactly', () => {
  test('unknown field, with did-you-mean, at the key', () => {
    const text = scenario('  cluster2: {}\n').replace('  cluster:\n    nodePools:', '  cluster:\n    nodePols:');
    // line 7 is `    nodePols:`, line 9 `  cluster2: {}`
    expect(errorsOf(load(text))).toEqual([
      's.yaml:7:5: spec.cluster.nodePols: unknown field "nodePols" (did you mean "nodePools"?)',
      's.yaml:9:3: spec.cluster2: unknown field "cluster2" (did you mean "cluster"?)',
    ]);
  });

  test('unknown failure type, and a spot interruption without mtbf', () => {
    const text = scenario(`  failures:
    - {type: node-crsh, at: 1h}
    - {type: spot-interruption, notice: 2m}
`);
    expect(errorsOf(load(text))).toEqual([
      's.yaml:10:14: spec.failures[0].type: unknown failure type "node-crsh" (expected one of node-crash, zone-outage, spot-interruption) (did you mean "node-crash"?)',
      's.yaml:11:7: spec.failures[1]: missing required field "mtbf"',
    ]);
  });

  test('negative replicas and a bad quantity in an inline manifest', () => {
    const text = scenario(`  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: -3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, resources: {requests: {cpu: 1K}}}]
`);
    expect(errorsOf(load(text))).toEqual([
      's.yaml:14:19: Deployment "web": spec.replicas must be >= 0, got -3',
      's.yaml:19:66: Deployment "web": spec.template.spec.containers[0].resources.requests.cpu: invalid quantity "1K": unknown suffix "K" (Kubernetes suffixes are case-sensitive: use k or Ki)',
    ]);
  });

  test('YAML syntax error', () => {
    expect(errorsOf(loadScenarioFile(`${FIXTURES}/errors/syntax.yaml`))).toEqual([
      // `nodePools: [{name: a, ... {cpu: 1, memory: 1Gi}]` lacks one `}`
      // col 68 is the `]` where the map's `}` is missing, col 69 the end of the line
      `${FIXTURES}/errors/syntax.yaml:6:68: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }`,
      `${FIXTURES}/errors/syntax.yaml:6:69: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  test('missing manifests folder (at its entry), and every error of the manifest files', () => {
    const r = loadScenarioFile(`${FIXTURES}/errors/missing-manifest.yaml`);
    const dir = `${FIXTURES}/errors`;
    expect(errorsOf(r)).toEqual([
      `${dir}/missing-manifest.yaml:11:7: spec.manifests[1]: cannot read "not-there/": no such file or directory (ENOENT)`,
      `${dir}/bad-workloads.yaml:7:13: Deployment "api": spec.replicas must be >= 0, got -3`,
      `${dir}/bad-workloads.yaml:18:29: Deployment "api": spec.template.spec.containers[0].resources.requests.cpu: invalid quantity "12K": unknown suffix "K" (Kubernetes suffixes are case-sensitive: use k or Ki)`,
    ]);
    // Unknown kinds are warnings, never errors.
    expect(r.ok ? [] : r.warnings).toEqual([`${dir}/bad-workloads.yaml:20:1: warning: Ingress "api": skipped: kind Ingress (networking.k8s.io/v1) is not used by the simulator`]);
  });

  test('a missing scenario file', () => {
    expect(errorsOf(loadScenarioFile(`${FIXTURES}/nope.yaml`))).toEqual([`${FIXTURES}/nope.yaml:1:1: cannot read file: no such file or directory (ENOENT)`]);
  });

  test('all errors of a file are reported, schema and conversion alike', () => {
    const text = `apiVersion: kubesim.dev/v1
kind: Scenario
spec:
  horizon: 7x
  warmup: 2d
  replications: 0
  seed: -1
  scheduler: {policy: most-allocated, percentageOfNodesToScore: 101}
  cluster:
    nodePools:
      - {name: general, count: -1, capacity: {cpu: 4, memroy: 1Gi}}
      - {name: Bad_Name, count: 1, capacity: {cpu: 4, memory: 1Gi}}
  disruptions:
    - {type: drain, at: 1d, nodes: 2, names: [general-0]}
  behavior:
    - {match: {kind: Deployment}, startup: {dist: lognormal, median: 40s, p99: 8s}}
  output: {timeseries: 0s}
`;
    expect(errorsOf(load(text))).toEqual([
      's.yaml:4:12: spec.horizon: invalid duration "7x": unknown unit "x" (use ms, s, m, h, d or w)',
      's.yaml:6:17: spec.replications must be >= 1, got 0',
      's.yaml:7:9: spec.seed must be >= 0, got -1',
      's.yaml:8:65: spec.scheduler.percentageOfNodesToScore must be <= 100, got 101',
      's.yaml:11:32: spec.cluster.nodePools[0].count must be >= 0, got -1',
      's.yaml:11:46: spec.cluster.nodePools[0].capacity: missing required field "memory"',
      's.yaml:11:55: spec.cluster.nodePools[0].capacity.memroy: unknown resource "memroy" (did you mean "memory"?) (capacity names are cpu, memory, pods, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as nvidia.com/gpu)',
      `s.yaml:12:16: spec.cluster.nodePools[1].name: "Bad_Name" is not a valid pool name: use lower case letters, digits and '-', starting and ending with a letter or digit (nodes are named Bad_Name-0, ...)`,
      's.yaml:14:47: spec.disruptions[0].names[0]: no node named "general-0" in the cluster (pool nodes are named <pool>-<index>)',
      's.yaml:16:44: spec.behavior[0].startup: lognormal needs p99 > median, got median 40s and p99 8s',
      's.yaml:17:24: spec.output.timeseries must be longer than 0s, got "0s"',
    ]);
  });

  test('type errors say what is expected', () => {
    const text = 'apiVersion: kubesim.dev/v1\nkind: Scenario\nspec:\n  horizon: true\n  seed: abc\n  cluster: []\n  failures: [{type: 5}, 3]\n  workloads: [{apiVersion: v1, kind: Pod}, 42]\n';
    expect(errorsOf(load(text))).toEqual([
      's.yaml:4:12: spec.horizon must be a duration such as "90s", "5m", "1h30m", "7d" or a number of seconds, got true',
      's.yaml:5:9: spec.seed must be an integer, got "abc"',
      's.yaml:6:12: spec.cluster must be a map, got a list',
      's.yaml:7:21: spec.failures[0].type must be a string, got 5 (quote it: "5")',
      's.yaml:7:25: spec.failures[1] must be a map, got 3',
      's.yaml:8:15: Pod: missing required field "metadata"',
      's.yaml:8:44: spec.workloads[1] must be a map, got 42',
    ]);
    expect(errorsOf(load('[1, 2]\n'))).toEqual(['s.yaml:1:1: the scenario must be a map, got a list']);
  });

  test('a Kubernetes manifest given as the scenario', () => {
    expect(errorsOf(load('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n'))).toEqual([
      's.yaml:2:7: kind: must be "Scenario", got "Deployment" (Kubernetes manifests go in files named by spec.manifests of a scenario)',
    ]);
  });

  test('wrong apiVersion, missing spec, extra documents', () => {
    expect(errorsOf(load('apiVersion: kubesim.dev/v2\nkind: Scenario\n---\na: 1\n'))).toEqual([
      's.yaml:1:1: missing required field "spec"',
      's.yaml:1:13: apiVersion must be "kubesim.dev/v1", got "kubesim.dev/v2"',
      's.yaml:4:1: a scenario file holds one YAML document (the Scenario); put Kubernetes manifests under spec.workloads or in files named by spec.manifests',
    ]);
  });
});
