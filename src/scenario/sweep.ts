// spec.sweep: axes of a grid, expanded into points (cartesian product, first axis slowest).

import type { Cur } from './cursor.js';
import type { SweepAxis } from './model.js';
import { parsePath, type ParsedPath } from './overrides.js';

export interface Axis {
  path: ParsedPath;
  /** One cursor per value, in the scenario file. */
  values: Cur[];
  cur: Cur;
}

/** Reads the axes; an axis with errors is reported and left out. */
export function readSweepAxes(c: Cur): Axis[] {
  const out: Axis[] = [];
  for (const a of c.list() ?? []) {
    if (a.entries() === undefined) continue;
    const setCur = a.requireChild('set');
    const text = setCur.str();
    const values = a.requireChild('values').list();
    if (text === undefined || values === undefined) continue;
    const p = parsePath(text);
    if (!p.ok) {
      setCur.error(p.message);
      continue;
    }
    const first = p.path.segs[0]!;
    if (first.kind === 'key' && first.name === 'sweep') {
      setCur.error('a sweep axis cannot change the sweep itself');
      continue;
    }
    if (values.length === 0) {
      a.child('values').error('must list at least 1 item');
      continue;
    }
    const dup = out.find((x) => x.path.canonical === p.path.canonical);
    if (dup !== undefined) {
      setCur.error(`${text} is already swept by another axis (${dup.cur.pos.line}:${dup.cur.pos.col})`);
      continue;
    }
    out.push({ path: p.path, values, cur: a });
  }
  return out;
}

/** Every combination of value indices, first axis varying slowest. */
export function gridPoints(sizes: readonly number[]): number[][] {
  let points: number[][] = [[]];
  for (const n of sizes) {
    const next: number[][] = [];
    for (const p of points) for (let i = 0; i < n; i++) next.push([...p, i]);
    points = next;
  }
  return points;
}

/** A sweep value as a string for `params` and outputs: strings as is, others as JSON. */
export function paramString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

export function toModelAxis(a: Axis): SweepAxis {
  return { path: a.path.text, values: a.values.map((v) => v.value), source: a.cur.pos };
}
