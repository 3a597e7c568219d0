// User JavaScript policies (`scheduler.policy: ./file.js`): loading errors are positioned input
// errors (exit 2), a working module decides placements, and a throw or a score outside
// [0, 100] fails the replication with the module, pod and node named (exit 1 with the seed).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { Scheduler } from '../../src/sim/scheduler/scheduler.js';
import { loadUserPolicy } from '../../src/sim/scheduler/user/registry.js';
import { runCli } from '../support/cli.js';
import { bind, cluster, constRandom, podTemplate } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kubesim-policy-'));
function module(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function scenarioText(policy: string): string {
  return `apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: p}
spec:
  horizon: 1h
  scheduler: {policy: ${policy}}
  cluster:
    nodePools: [{name: g, count: 3, capacity: {cpu: "4", memory: 8Gi}}]
  workloads:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 4
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: x, resources: {requests: {cpu: 500m}}}]}
`;
}

describe('loading a policy module', () => {
  it('resolves the path against the scenario folder and keeps the position of the value', () => {
    module('ok.js', 'export const score = () => 50;\n');
    const r = loadScenarioText(scenarioText('./ok.js'), join(dir, 's.yaml'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sched = r.loaded.points[0]!.scenario.scheduler;
    expect(sched.policy).toBe(join(dir, 'ok.js'));
    // `  scheduler: {policy: ./ok.js}`: the value starts at column 23 of line 6
    expect(sched.policySource).toEqual({ file: join(dir, 's.yaml'), line: 6, col: 23 });
  });

  it.each([
    { policy: './missing.js', want: /6:23: .*policy module "\.\/missing\.js" not found/ },
    { policy: './notes.txt', want: /6:23: .*a policy module must be a \.js, \.mjs or \.cjs file/ },
  ])('rejects $policy at load time', ({ policy, want }) => {
    const r = loadScenarioText(scenarioText(policy), join(dir, 's.yaml'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.format()).join('\n')).toMatch(want);
  });

  it.each([
    { name: 'no-score.js', text: 'export const scores = () => 1;\n', want: 'expected the policy module to export a function `score(pod, node)`, got undefined' },
    { name: 'not-fn.js', text: 'export const score = 42;\n', want: 'expected the policy module to export a function `score(pod, node)`, got 42' },
    { name: 'syntax.js', text: 'export const score = ( => 1;\n', want: 'cannot load the policy module: ' }, // the parser's message differs between node and vitest's loader
    { name: 'throws.js', text: "throw new Error('no config');\n", want: 'cannot load the policy module: no config' },
  ])('reports $name when it is imported', async ({ name, text, want }) => {
    const why = await loadUserPolicy(module(name, text));
    expect(why).toContain(want);
  });

  it('accepts a CommonJS module whose exports carry score', async () => {
    expect(await loadUserPolicy(module('cjs.cjs', 'module.exports = { score: () => 10 };\n'))).toBeNull();
  });
});

describe('a working policy', () => {
  it('places pods where its score is highest, with views of the pod and the node', async () => {
    // Prefers the node whose name is in the pod's label `prefer`, else the one with the most
    // pods (tests the views: labels, requested, pods).
    const file = module(
      'prefer.js',
      `export function score(pod, node) {
        if (node.name === pod.labels.prefer) return 100;
        return Math.min(90, node.pods * 10 + node.requested.cpu / 1000);
      }\n`,
    );
    expect(await loadUserPolicy(file)).toBeNull();
    const nodes = cluster([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    bind(nodes, 2, [1000, 0, 0]); // c: 1 pod, 1000m -> 1 * 10 + 1 = 11; a, b: 0
    const s = new Scheduler(nodes, { policy: file, percentageOfNodesToScore: 0 }, constRandom());
    const preferB = s.compile(podTemplate({ labels: { prefer: 'b' }, requests: [100, 0, 0] }), 'pod', { name: 'Deployment/x' });
    expect(nodes.names[s.scheduleOne(preferB)]).toBe('b');
    const plain = s.compile(podTemplate({ requests: [100, 0, 0] }), 'pod', { name: 'Deployment/y' });
    expect(nodes.names[s.scheduleOne(plain)]).toBe('c');
    // The views are refreshed: two more pods on a -> a scores 2 * 10 + 0.2 = 20.2 > c's 11.
    bind(nodes, 0, [100, 0, 0]);
    bind(nodes, 0, [100, 0, 0]);
    expect(nodes.names[s.scheduleOne(plain)]).toBe('a');
  });

  it('cannot change the cluster through the views', async () => {
    const file = module(
      'mutate.js',
      `export function score(pod, node) {
        node.requested.cpu = 1e12;
        try { node.labels.x = 'y'; } catch {}
        try { node.allocatable.cpu = 0; } catch {}
        return 50;
      }\n`,
    );
    expect(await loadUserPolicy(file)).toBeNull();
    const nodes = cluster([{ name: 'a' }, { name: 'b' }]);
    const s = new Scheduler(nodes, { policy: file, percentageOfNodesToScore: 0 }, constRandom());
    expect(s.scheduleOne(s.compile(podTemplate({ requests: [100, 0, 0] }), 'pod'))).toBeGreaterThanOrEqual(0);
    expect(Array.from(nodes.requested.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(nodes.labels[0]).toEqual({});
    expect(nodes.allocatable[0]).toBe(4000);
  });
});

describe('a misbehaving policy', () => {
  it.each([
    { ret: 'NaN', shown: 'NaN' },
    { ret: 'Infinity', shown: 'Infinity' },
    { ret: '-1', shown: '-1' },
    { ret: '100.5', shown: '100.5' },
    { ret: "'50'", shown: '"50"' },
    { ret: 'undefined', shown: 'undefined' },
    { ret: 'null', shown: 'null' },
    { ret: '{}', shown: 'an object' },
  ])('returning $ret fails the cycle naming module, pod and node', async ({ ret, shown }) => {
    const file = module(`garbage-${Buffer.from(ret).toString('hex')}.js`, `export const score = () => (${ret});\n`);
    expect(await loadUserPolicy(file)).toBeNull();
    const nodes = cluster([{ name: 'a' }, { name: 'b' }]);
    const s = new Scheduler(nodes, { policy: file, percentageOfNodesToScore: 0 }, constRandom());
    const pod = s.compile(podTemplate(), 'pod', { name: 'Deployment/web' });
    expect(() => s.scheduleOne(pod)).toThrow(
      `scheduler policy ${file}: score(pod of Deployment/web, node a) returned ${shown}: expected a finite number in [0, 100]`,
    );
  });

  it('a throw names the module, pod and node and keeps the message', async () => {
    const file = module('boom.js', "export function score(pod, node) { if (node.name === 'b') throw new Error('boom'); return 1; }\n");
    expect(await loadUserPolicy(file)).toBeNull();
    const nodes = cluster([{ name: 'a' }, { name: 'b' }]);
    const s = new Scheduler(nodes, { policy: file, percentageOfNodesToScore: 0 }, constRandom());
    expect(() => s.scheduleOne(s.compile(podTemplate(), 'pod', { name: 'Deployment/web' }))).toThrow(
      `scheduler policy ${file}: score(pod of Deployment/web, node b) threw: boom`,
    );
  });
});

describe('the CLI', () => {
  it('exits 2 with the position when the module exports no score', () => {
    module('cli-no-score.js', 'export default 1;\n');
    writeFileSync(join(dir, 'cli.yaml'), scenarioText('./cli-no-score.js'));
    const r = runCli(['validate', join(dir, 'cli.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'cli.yaml')}:6:23: spec.scheduler.policy: expected the policy module to export a function`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with the seed when the policy throws, in a worker thread too', () => {
    module('cli-throw.js', "export function score() { throw new Error('kaput'); }\n");
    writeFileSync(join(dir, 'cli-throw.yaml'), scenarioText('./cli-throw.js'));
    const r = runCli(['run', join(dir, 'cli-throw.yaml'), '--quiet', '--workers', '2', '--replications', '2', '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/replication 0 of point 0 failed \(seed \d+; .*\): scheduler policy .*cli-throw\.js: score\(pod of Deployment\/web, node g-\d\) threw: kaput/);
  });

  it('runs scenarios/custom-policy.yaml with the same bytes in-process and on workers', () => {
    const out1 = join(dir, 'w1');
    const out2 = join(dir, 'w2');
    const args = ['run', 'scenarios/custom-policy.yaml', '--quiet', '--replications', '3'];
    expect(runCli([...args, '--workers', '1', '--out', out1]).code).toBe(0);
    expect(runCli([...args, '--workers', '2', '--out', out2]).code).toBe(0);
    expect(readFileSync(join(out2, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(out1, 'metrics.csv'), 'utf8'));
  });

  it('compares a module with a built-in policy (--policies paths are relative to the working directory)', () => {
    const out = join(dir, 'cmp');
    const r = runCli(['compare', 'scenarios/custom-policy.yaml', '--policies', 'most-allocated,scenarios/policies/prefer-spread.js', '--replications', '2', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const csv = readFileSync(join(out, 'compare.csv'), 'utf8');
    expect(csv).toContain(`,${join(process.cwd(), 'scenarios/policies/prefer-spread.js')},`);
    const noScore = module('cmp-no-score.js', 'export default 1;\n');
    const bad = runCli(['compare', 'scenarios/custom-policy.yaml', '--policies', `most-allocated,${noScore}`, '--quiet', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected the policy module to export a function `score(pod, node)`');
  });
});
