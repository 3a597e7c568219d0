// The task list of a run: one task per (sweep point, replication), in point-major order. A
// task's index in this list is its identity everywhere (ordering of output rows, --shard
// slices, shard merging), and its seed depends only on (scenario seed, point, replication), so
// a task gives the same numbers whether it runs in the full run, alone (--only) or in a shard.

import type { LoadedScenario } from '../scenario/load.js';
import { replicationSeed } from '../sim/random/streams.js';

export interface Task {
  /** Position in the full task list (point-major, then replication). */
  index: number;
  point: number;
  replication: number;
  seed: number;
}

export interface TaskListOptions {
  /** Overrides the scenario's replications. */
  replications?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
}

/**
 * A task list that computes each task when asked: O(points) memory whatever the number of
 * replications (100,000 Task objects would hold about 8 MiB for the whole run).
 */
export interface TaskList {
  readonly length: number;
  /** The task at position i, 0 <= i < length. */
  at(i: number): Task;
}

interface PointRange {
  point: number;
  /** Index of the point's first task in the full list. */
  start: number;
  replications: number;
  baseSeed: number;
}

/** Every task of the run, in output order, computed on demand. */
export class TaskGrid implements TaskList {
  readonly length: number;
  private readonly ranges: PointRange[] = [];

  constructor(loaded: LoadedScenario, opts: TaskListOptions = {}) {
    let start = 0;
    for (const point of loaded.points) {
      const replications = opts.replications ?? point.scenario.replications;
      this.ranges.push({ point: point.index, start, replications, baseSeed: opts.seed ?? point.scenario.seed });
      start += replications;
    }
    this.length = start;
  }

  at(i: number): Task {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`Expected a task index in [0, ${this.length}), got ${i}`);
    // The last range starting at or before i (binary search; ranges are in index order).
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.ranges[mid]!.start <= i) lo = mid;
      else hi = mid - 1;
    }
    const r = this.ranges[lo]!;
    const replication = i - r.start;
    return { index: i, point: r.point, replication, seed: replicationSeed(r.baseSeed, r.point, replication) };
  }

  /** Position of (point, replication), or -1 when there is no such task. */
  indexOf(point: number, replication: number): number {
    const r = this.ranges.find((x) => x.point === point);
    return r !== undefined && Number.isInteger(replication) && replication >= 0 && replication < r.replications ? r.start + replication : -1;
  }
}

/** Tasks offset, offset + stride, offset + 2 stride, ... of `source` (count of them). */
class StridedTasks implements TaskList {
  constructor(
    private readonly source: TaskList,
    private readonly offset: number,
    private readonly stride: number,
    readonly length: number,
  ) {}

  at(i: number): Task {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`Expected a task index in [0, ${this.length}), got ${i}`);
    return this.source.at(this.offset + i * this.stride);
  }
}

/** An array as a TaskList. */
export function taskListOf(tasks: Task[]): TaskList {
  return { length: tasks.length, at: (i) => tasks[i]! };
}

/** The tasks of `list` from position `from` on. */
export function tasksFrom(list: TaskList, from: number): TaskList {
  return from === 0 ? list : new StridedTasks(list, from, 1, Math.max(0, list.length - from));
}

/** Positions [from, to) of `list` as an array (a chunk of work). */
export function taskSlice(list: TaskList, from: number, to: number): Task[] {
  const end = Math.min(to, list.length);
  const out: Task[] = new Array(Math.max(0, end - from));
  for (let i = from; i < end; i++) out[i - from] = list.at(i);
  return out;
}

/** Every task of the run, in output order, as an array. */
export function buildTasks(loaded: LoadedScenario, opts: TaskListOptions = {}): Task[] {
  const grid = new TaskGrid(loaded, opts);
  return taskSlice(grid, 0, grid.length);
}

/** `--shard I/N`: the I-th of N slices (0-based), the tasks whose index % N == I. */
export interface Shard {
  index: number;
  count: number;
}

/** Which tasks to run: all, one (`--only POINT:REPLICATION`) or a shard. */
export type Selection =
  | { kind: 'all' }
  | { kind: 'only'; point: number; replication: number }
  | { kind: 'shard'; shard: Shard };

/** The selected tasks, in task order. Throws a RangeError when --only names no task. */
export function selectTasks(tasks: Task[], sel: Selection): Task[] {
  const list = selectTaskList(taskListOf(tasks), sel);
  return taskSlice(list, 0, list.length);
}

/** selectTasks on a TaskList: a shard or a remainder is a view, not a copy. */
export function selectTaskList(tasks: TaskList, sel: Selection): TaskList {
  switch (sel.kind) {
    case 'all':
      return tasks;
    case 'only': {
      let i = -1;
      if (tasks instanceof TaskGrid) i = tasks.indexOf(sel.point, sel.replication);
      else {
        for (let k = 0; k < tasks.length && i < 0; k++) {
          const t = tasks.at(k);
          if (t.point === sel.point && t.replication === sel.replication) i = k;
        }
      }
      if (i < 0) {
        const points = tasks.length > 0 ? tasks.at(tasks.length - 1).point + 1 : 0;
        let replications = 0; // of the point asked for (a sweep over replications varies it)
        for (let k = 0; k < tasks.length; k++) if (tasks.at(k).point === sel.point) replications++;
        const of = replications > 0 ? `; point ${sel.point} has replications 0..${replications - 1}` : '';
        throw new RangeError(`--only ${sel.point}:${sel.replication}: no such task (points 0..${points - 1}${of})`);
      }
      return new StridedTasks(tasks, i, 1, 1);
    }
    case 'shard': {
      const { index, count } = sel.shard;
      return new StridedTasks(tasks, index, count, Math.max(0, Math.ceil((tasks.length - index) / count)));
    }
    default: {
      const never: never = sel;
      return never;
    }
  }
}
