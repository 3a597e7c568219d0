import { describe, expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { COLUMN_BUDGET, ValueSpill } from '../../src/sweep/value-spill.js';

function spillDirs(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('kubesim-values-'));
}

describe('ValueSpill', () => {
  test('columns come back exactly, in task order, per point; seeds in task order', () => {
    const spill = new ValueSpill();
    // point 0: 3 tasks x 2 metrics; point 2: 2 tasks x 3 metrics (NaN, -0, Infinity, 0.1 + 0.2 survive)
    spill.append(0, 0, 11, new Float64Array([1, 0.1 + 0.2]));
    spill.append(0, 1, 12, new Float64Array([2, NaN]));
    spill.append(0, 2, 13, new Float64Array([3, -0]));
    spill.append(2, 0, 4294967295, new Float64Array([Infinity, 5, 6]));
    spill.append(2, 1, 22, new Float64Array([7, 8, 9]));
    expect(spill.tasks).toBe(5);
    expect(spill.points).toEqual([0, 2]);
    const got: [number, number, number[]][] = [];
    for (const p of spill.points) spill.forEachColumn(p, (k, v) => got.push([p, k, Array.from(v)]));
    expect(got).toEqual([
      [0, 0, [1, 2, 3]],
      [0, 1, [0.30000000000000004, NaN, -0]],
      [2, 0, [Infinity, 7]],
      [2, 1, [5, 8]],
      [2, 2, [6, 9]],
    ]);
    expect([...spill.seeds()]).toEqual([
      { point: 0, replication: 0, seed: 11 },
      { point: 0, replication: 1, seed: 12 },
      { point: 0, replication: 2, seed: 13 },
      { point: 2, replication: 0, seed: 4294967295 },
      { point: 2, replication: 1, seed: 22 },
    ]);
    spill.dispose();
  });

  test('more values than one pass holds: several passes over the file, across write buffers', () => {
    // 40 metrics x 30,000 tasks = 1.2M values > COLUMN_BUDGET (524,288): 17 metrics per pass, 3 passes;
    // 42 doubles per record, 195 records per 64 KiB read block.
    const tasks = 30_000;
    const metrics = 40;
    expect(metrics * tasks).toBeGreaterThan(COLUMN_BUDGET);
    const spill = new ValueSpill();
    const v = new Float64Array(metrics);
    for (let r = 0; r < tasks; r++) {
      for (let k = 0; k < metrics; k++) v[k] = r * 1000 + k;
      spill.append(0, r, r + 1, v);
    }
    let columns = 0;
    spill.forEachColumn(0, (k, values) => {
      expect(values.length).toBe(tasks);
      for (const r of [0, 194, 195, 12_345, tasks - 1]) expect(values[r]).toBe(r * 1000 + k);
      columns++;
    });
    expect(columns).toBe(metrics);
    let n = 0;
    for (const s of spill.seeds()) {
      if (s.replication !== n || s.seed !== n + 1) throw new Error(`seed ${n} wrong`);
      n++;
    }
    expect(n).toBe(tasks);
    spill.dispose();
  });

  test('rejects a point whose tasks are not consecutive, or a changed metric count', () => {
    const spill = new ValueSpill();
    spill.append(0, 0, 1, new Float64Array([1]));
    expect(() => spill.append(0, 1, 2, new Float64Array([1, 2]))).toThrow('Expected 1 metrics at point 0, got 2');
    spill.append(1, 0, 3, new Float64Array([1]));
    expect(() => spill.append(0, 2, 4, new Float64Array([1]))).toThrow('consecutive');
    spill.dispose();
  });

  test('dispose removes the temporary folder', () => {
    const before = spillDirs().length;
    const spill = new ValueSpill();
    expect(spillDirs().length).toBe(before + 1);
    spill.dispose();
    spill.dispose(); // idempotent
    expect(spillDirs().length).toBe(before);
  });
});
