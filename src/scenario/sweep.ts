// spec.sweep: axes of a grid, expanded into points (cartesian product, first axis slowest).

import type { Cur } from './cursor.js';
import type { SweepAxis } from './model.js';
import { columnClash } from './output-columns.js';
import { overlap, parsePath, type ParsedPath, type Target } from './overrides.js';

export interface Axis {
  path: ParsedPath;
  /** The field the path names (resolveTarget): how axes and --set are compared. */
  target: Target;
  /** One cursor per value, in the scenario file. */
  values: Cur[];
  cur: Cur;
}

/**
 * Reads the axes; an axis with errors is reported and left out. Two axes that overlap (name the
 * same field, or one a field inside the other's, in any spelling) are an error at the later one:
 * the later axis's values would overwrite the earlier's, or part of them, so points would be
 * labelled with values they did not run.
 */
export function readSweepAxes(c: Cur, resolve: (p: ParsedPath) => Target): Axis[] {
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
    const column = columnClash(text);
    if (column !== null) {
      setCur.error(column);
      continue;
    }
    if (values.length === 0) {
      a.child('values').error('must list at least 1 item');
      continue;
    }
    const target = resolve(p.path);
    const clash = overlapping(out, target);
    if (clash !== null) {
      const { axis, how } = clash;
      const at = `${axis.cur.pos.line}:${axis.cur.pos.col}`;
      const other = axis.path.text;
      if (how === 'same') setCur.error(`${text} is already swept by another axis (${at}${other === text ? '' : `, as ${other}`})`);
      else if (how === 'inside') setCur.error(`${text} is part of ${other}, which another axis sweeps (${at}): points would not run the values their labels show; vary it inside that axis's values instead`);
      else setCur.error(`${text} contains ${other}, which another axis sweeps (${at}): points would not run the values their labels show; vary it inside this axis's values instead`);
      continue;
    }
    out.push({ path: p.path, target, values, cur: a });
  }
  return out;
}

/** The first of `axes` that `target` overlaps, and how `target` relates to it. */
function overlapping(axes: readonly Axis[], target: Target): { axis: Axis; how: 'same' | 'contains' | 'inside' } | null {
  for (const axis of axes) {
    const how = overlap(target, axis.target);
    if (how !== null) return { axis, how };
  }
  return null;
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
