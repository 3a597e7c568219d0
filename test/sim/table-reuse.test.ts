// The engine's and the pod store's tables are handed back at the end of a replication and handed
// out, zero-filled, to the next one in the same thread (src/sim/typed-arrays.ts). A reused table
// must be indistinguishable from a new one: a replication run after others of other scenarios
// (other table sizes, tables that grew) must give exactly what it gives in a fresh process.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/model.js';
import { runReplication } from '../../src/sim/simulation.js';
import { fresh, recycle } from '../../src/sim/typed-arrays.js';
import { PodStore } from '../../src/sim/cluster/pods.js';
import { benchmarkScenario } from '../../src/bench/synthetic.js';

function load(file: string): Scenario {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.loaded.points[0]!.scenario;
}

/** One replication's records and event count as JSON (NaN -> null on both sides alike). */
function replicationJson(s: Scenario, seed: number): string {
  const r = runReplication(s, seed);
  return JSON.stringify({ events: r.eventsProcessed, metrics: r.metrics });
}

/** The same replication in a new Node process (no table was ever recycled there), from dist/. */
function inFreshProcess(file: string, seed: number): string {
  const code = `
    const { loadScenarioFile } = await import('./dist/scenario/index.js');
    const { runReplication } = await import('./dist/sim/simulation.js');
    const r = runReplication(loadScenarioFile(${JSON.stringify(file)}).loaded.points[0].scenario, ${seed});
    process.stdout.write(JSON.stringify({ events: r.eventsProcessed, metrics: r.metrics }));`;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(p.stderr);
  return p.stdout;
}

describe('fresh / recycle', () => {
  it('hands a recycled array back zero-filled, only for the same type and length, and only once', () => {
    const a = new Float64Array(300).fill(7);
    recycle([a]);
    expect(fresh(Int32Array, 300)).not.toBe(a as unknown); // another type
    expect(fresh(Float64Array, 299)).not.toBe(a); // another length
    const b = fresh(Float64Array, 300);
    expect(b).toBe(a);
    expect(b.every((x) => x === 0)).toBe(true);
    expect(fresh(Float64Array, 300)).not.toBe(a); // handed out already
  });

  it('a pod store recycled twice hands each column out once', () => {
    const store = new PodStore(333, 64);
    store.recycleTables();
    store.recycleTables();
    // 13 of its columns are Int32Arrays of length 333: recycled twice, some would come out twice
    const taken = new Set<unknown>();
    for (let i = 0; i < 40; i++) taken.add(fresh(Int32Array, 333));
    expect(taken.size).toBe(40);
  });
});

describe('replications back to back in one thread', () => {
  const wuf = 'scenarios/web-under-failures.yaml';
  const quick = 'scenarios/quickstart.yaml';

  it('give what each gives in a fresh process, whatever ran before in this one', () => {
    const web = load(wuf);
    const qs = load(quick);
    // 2,000 pods: a pod store of 2,500 and an engine of 4,000 slots, other sizes than the
    // examples' 1,024; then the examples reuse what those replications handed back.
    const big = benchmarkScenario(20, 2000, 1);
    const first = replicationJson(web, 3);
    for (let seed = 0; seed < 3; seed++) {
      replicationJson(big, seed);
      replicationJson(qs, seed);
      replicationJson(web, seed + 10);
    }
    expect(replicationJson(web, 3)).toBe(first);
    expect(first).toBe(inFreshProcess(wuf, 3));
    expect(replicationJson(qs, 5)).toBe(inFreshProcess(quick, 5));
  });
});
