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

/** Every task of the run, in output order. */
export function buildTasks(loaded: LoadedScenario, opts: TaskListOptions = {}): Task[] {
  const tasks: Task[] = [];
  for (const point of loaded.points) {
    const reps = opts.replications ?? point.scenario.replications;
    const baseSeed = opts.seed ?? point.scenario.seed;
    for (let r = 0; r < reps; r++) {
      tasks.push({ index: tasks.length, point: point.index, replication: r, seed: replicationSeed(baseSeed, point.index, r) });
    }
  }
  return tasks;
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

/** The selected tasks, in task order. Throws a plain Error when --only names no task. */
export function selectTasks(tasks: Task[], sel: Selection): Task[] {
  switch (sel.kind) {
    case 'all':
      return tasks;
    case 'only': {
      const t = tasks.find((x) => x.point === sel.point && x.replication === sel.replication);
      if (t === undefined) {
        const points = tasks.length > 0 ? tasks[tasks.length - 1]!.point + 1 : 0;
        throw new RangeError(
          `--only ${sel.point}:${sel.replication}: no such task (points 0..${points - 1}, replications from 0)`,
        );
      }
      return [t];
    }
    case 'shard':
      return tasks.filter((t) => t.index % sel.shard.count === sel.shard.index);
    default: {
      const never: never = sel;
      return never;
    }
  }
}
