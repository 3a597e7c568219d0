// The engine's and the pod store's tables are handed back at the end of a replication and handed
// out, zero-filled, to the next one in the same thread (src/sim/typed-arrays.ts). A reused table
// must be indistinguishable from a new one: a replication run after others of other scenarios
// (other table sizes, tables that grew) must give exactly what it gives in a fresh process.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/model.js';
import { runReplication } from '../../src/sim/simulation.js';
import { beginReplicationArrays, endReplicationArrays, fresh, recycle, replicationArray } from '../../src/sim/typed-arrays.js';
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

describe('replicationArray', () => {
  it('outside a replication is a plain array with its own buffer', () => {
    const a = replicationArray(Float64Array, 10);
    expect(a.buffer.byteLength).toBe(80);
    expect(a.byteOffset).toBe(0);
  });

  it('inside one cuts aligned, disjoint, zeroed views from one block that the next replication reuses, zeroed again', () => {
    beginReplicationArrays();
    let a: Uint8Array, b: Float64Array, c: Int32Array;
    try {
      a = replicationArray(Uint8Array, 3).fill(255);
      b = replicationArray(Float64Array, 2).fill(1.5); // from byte 8: 3 rounded up to a multiple of 8
      c = replicationArray(Int32Array, 5).fill(-1); // from byte 24
    } finally {
      endReplicationArrays();
    }
    expect(b.buffer).toBe(a.buffer);
    expect(c.buffer).toBe(a.buffer);
    expect([a.byteOffset, b.byteOffset, c.byteOffset]).toEqual([0, 8, 24]);
    expect([...a]).toEqual([255, 255, 255]);
    expect([...b]).toEqual([1.5, 1.5]);
    expect([...c]).toEqual([-1, -1, -1, -1, -1]);
    beginReplicationArrays();
    try {
      const d = replicationArray(Float64Array, 6); // bytes 0..48: over all three of the last ones
      expect(d.buffer).toBe(a.buffer);
      expect([...d]).toEqual([0, 0, 0, 0, 0, 0]);
    } finally {
      endReplicationArrays();
    }
  });

  it('grows into a bigger block, then gives plain arrays past 8 MiB in one replication', () => {
    beginReplicationArrays();
    try {
      const first = replicationArray(Uint8Array, 8);
      const big = replicationArray(Uint8Array, 1 << 20); // more than the 64 KiB block holds
      expect(big.buffer).not.toBe(first.buffer);
      expect(big.byteOffset).toBe(0);
      for (let i = 0; i < 6; i++) replicationArray(Uint8Array, 1 << 20); // 7 MiB + 8 bytes in all
      const past = replicationArray(Uint8Array, 1 << 20);
      expect(past.buffer.byteLength).toBe(1 << 20); // its own buffer
      expect(first[0]).toBe(0);
    } finally {
      endReplicationArrays();
    }
  });

  it('refuses a replication started inside another (their arrays would share memory)', () => {
    beginReplicationArrays();
    try {
      expect(() => beginReplicationArrays()).toThrow(/one replication at a time/);
    } finally {
      endReplicationArrays();
    }
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
    // ~1 MB of replication arrays (GPU tables): the block grows, and the next scenarios reuse it
    const gpu = load('scenarios/gpu-fragmentation.yaml');
    const first = replicationJson(web, 3);
    for (let seed = 0; seed < 3; seed++) {
      replicationJson(big, seed);
      replicationJson(gpu, seed);
      replicationJson(qs, seed);
      replicationJson(web, seed + 10);
    }
    expect(replicationJson(web, 3)).toBe(first);
    expect(first).toBe(inFreshProcess(wuf, 3));
    expect(replicationJson(qs, 5)).toBe(inFreshProcess(quick, 5));
  });
});
