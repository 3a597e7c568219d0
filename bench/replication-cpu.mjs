// CPU per replication of one scenario point, in-process, after warm-up: the cost a worker thread
// pays per task once its JIT has settled, without the CLI around it (no start-up, no output).
// Runs the compiled code (npm run build first): loads the scenario, applies the run's V8 setting
// (src/sweep/gc-tuning.ts) as runTasks does, runs --warmup tasks, then times --replications
// tasks through executeTask (the simulation plus its metrics.csv records) and prints process CPU
// (every thread, so the garbage collector's helpers count) and wall time per replication.
//
//   node bench/replication-cpu.mjs [--scenario scenarios/web-under-failures.yaml] [--warmup 1000] [--replications 4000]

import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'scenarios/web-under-failures.yaml' },
    warmup: { type: 'string', default: '1000' },
    replications: { type: 'string', default: '4000' },
  },
});
const dist = join(import.meta.dirname, '..', 'dist');
const tuning = join(dist, 'sweep', 'gc-tuning.js');
if (existsSync(tuning)) (await import(tuning)).tuneGarbageCollector(); // absent before the mc branch
const { loadScenarioFile } = await import(join(dist, 'scenario', 'index.js'));
const { executeTask } = await import(join(dist, 'sweep', 'execute.js'));
const loaded = loadScenarioFile(a.scenario);
if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
const scenario = loaded.loaded.points[0].scenario;
const ctx = { scenarioName: loaded.loaded.name ?? 'bench', paramNames: [], pointParams: [[]] };
const warmup = Number(a.warmup);
const n = Number(a.replications);
for (let i = 0; i < warmup; i++) executeTask(scenario, ctx, { point: 0, replication: i, seed: i }, { trace: false });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < n; i++) executeTask(scenario, ctx, { point: 0, replication: warmup + i, seed: 1000003 + i }, { trace: false });
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
process.stdout.write(
  `${a.scenario}: ${n} replications after ${warmup} warm-up: process CPU ${((cpu.user + cpu.system) / n).toFixed(0)} µs/replication, ` +
    `wall ${((1000 * wallMs) / n).toFixed(0)} µs/replication; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`,
);
