#!/usr/bin/env node
// Derives a kubesim-des scenario from the Alibaba openb GPU trace (cluster-trace-gpu-v2023,
// Weng et al., USENIX ATC '23; github.com/alibaba/clusterdata): a sample of the GPU nodes, and
// pods drawn from a pod list until their GPU demand reaches a share of the sample's GPUs, in a
// random order (the paper's experiments: task shapes submitted one by one in random order,
// never deleted; time columns ignored).
//
//   node bench/openb-scenario.mjs --trace DIR [--pods openb_pod_list_default.csv]
//        [--node-every 20] [--load 1.0] [--seed 1] [--out scenarios/gpu-fragmentation.yaml]
//
// Writes the scenario and, beside it, openb/<name>-pods.yaml with one v1 Pod per task: cpu and
// memory requests, GPUs as the openb annotations alibabacloud.com/gpu-milli / gpu-count /
// gpu-card-model. Nodes become pools of identical shapes with the model label. Deterministic
// for a seed.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    trace: { type: 'string' },
    pods: { type: 'string', default: 'openb_pod_list_default.csv' },
    'node-every': { type: 'string', default: '20' },
    load: { type: 'string', default: '1.0' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'scenarios/gpu-fragmentation.yaml' },
  },
});
if (a.trace === undefined) {
  process.stderr.write('usage: node bench/openb-scenario.mjs --trace DIR [--pods FILE] [--node-every K] [--load X] [--seed N] [--out FILE]\n');
  process.exit(2);
}

/** Rows of a CSV with a header, as objects keyed by column name (FORMAT.md: no quoting). */
function readCsv(file) {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

// mulberry32: a small seeded generator, so the sample is the same on every machine.
let state = Number(a.seed) >>> 0;
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const every = Number(a['node-every']);
const nodes = readCsv(join(a.trace, 'openb_node_list_gpu_node.csv')).filter((_, i) => i % every === 0);
const shapes = new Map();
for (const n of nodes) {
  const key = `${n.model}-${n.gpu}gpu-${Number(n.cpu_milli) / 1000}c-${Math.round(Number(n.memory_mib) / 1024)}g`.toLowerCase();
  const s = shapes.get(key) ?? { n, count: 0 };
  s.count++;
  shapes.set(key, s);
}
const gpus = nodes.reduce((s, n) => s + Number(n.gpu), 0);

const all = readCsv(join(a.trace, a.pods));
const target = Number(a.load) * gpus * 1000;
const pods = [];
let demand = 0;
while (demand < target) {
  const p = all[Math.floor(rand() * all.length)];
  pods.push(p);
  demand += Number(p.num_gpu) * Number(p.gpu_milli);
}

const name = basename(a.out).replace(/\.ya?ml$/, '');
const podsFile = join(dirname(a.out), 'openb', `${name}-pods.yaml`);
mkdirSync(dirname(podsFile), { recursive: true });
const attribution = `# Derived from the Alibaba openb GPU trace (cluster-trace-gpu-v2023, github.com/alibaba/clusterdata;
# Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation
# Gradient Descent", USENIX ATC '23) by bench/openb-scenario.mjs --pods ${a.pods} --node-every ${every} --load ${a.load} --seed ${a.seed}`;

const podDocs = pods.map((p, i) => {
  const ann = [];
  if (Number(p.num_gpu) > 0) {
    ann.push(`alibabacloud.com/gpu-milli: "${p.gpu_milli}"`, `alibabacloud.com/gpu-count: "${p.num_gpu}"`);
    const spec = [...new Set((p.gpu_spec ?? '').split('|').filter((m) => m !== ''))];
    if (spec.length > 0) ann.push(`alibabacloud.com/gpu-card-model: "${spec.join('|')}"`);
  }
  const meta = `{name: task-${String(i).padStart(4, '0')}${ann.length > 0 ? `, annotations: {${ann.join(', ')}}` : ''}}`;
  const mem = Number(p.memory_mib) > 0 ? `, memory: ${p.memory_mib}Mi` : '';
  return `{apiVersion: v1, kind: Pod, metadata: ${meta}, spec: {containers: [{name: c, image: x, resources: {requests: {cpu: ${p.cpu_milli}m${mem}}}}]}}`;
});
writeFileSync(podsFile, `${attribution}\n# ${pods.length} tasks drawn at random (with replacement), in submission order.\n---\n${podDocs.join('\n---\n')}\n`);

const pools = [...shapes.entries()].map(([key, { n, count }]) =>
  `      - {name: ${key}, count: ${count}, capacity: {cpu: "${Number(n.cpu_milli) / 1000}", memory: ${n.memory_mib}Mi, nvidia.com/gpu: ${n.gpu}, pods: 256}, labels: {alibabacloud.com/gpu-card-model: ${n.model}}}`,
);
const gpuPods = pods.filter((p) => Number(p.num_gpu) > 0).length;
writeFileSync(
  a.out,
  `${attribution}
#
# Question: on a sample of the openb GPU cluster (${nodes.length} nodes, ${gpus} GPUs), with tasks
# whose GPU demand is ${Math.round(Number(a.load) * 100)}% of the GPUs (${pods.length} tasks, ${gpuPods} of them using GPUs, many
# sharing one GPU), how much of the GPU capacity does each scheduling policy manage to allocate,
# and how many tasks stay pending because of fragmentation?
#   kubesim-des compare ${a.out} --policies fgd,gpu-packing,gpu-clustering,kube-default
# Read cluster gpu_alloc_mean (share of GPUs allocated) and pods_pending_max.
apiVersion: kubesim.dev/v1
kind: Scenario
metadata: {name: ${name}}
spec:
  horizon: 1h
  seed: ${a.seed}
  replications: 5          # only the scheduler's tie-breaks vary
  scheduler: {policy: fgd}
  cluster:
    nodePools:
${pools.join('\n')}
  manifests: [${relative(dirname(a.out), podsFile)}]
`,
);
process.stderr.write(`wrote ${a.out} and ${podsFile}: ${nodes.length} nodes, ${gpus} GPUs, ${pods.length} tasks, GPU demand ${(demand / 1000).toFixed(1)}\n`);
