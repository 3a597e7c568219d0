// The piscina worker: runs chunks of tasks of the scenario points it was given once, at
// start-up, in workerData (structured-cloned once per worker, never per task). Sends each
// point's metric keys with its first result for that point only; the pool keeps them per
// point. A task that throws is returned as its error message and stack, so the other tasks of
// its chunk still count. User policy modules are imported once, at start-up (top-level await).

import { isAbsolute } from 'node:path';
import { workerData } from 'piscina';
import { loadUserPolicy } from '../sim/scheduler/user/registry.js';
import type { Scenario } from '../scenario/model.js';
import { executeTask, type CsvContext, type TaskResult, type TaskSpec } from './execute.js';

export interface WorkerData extends CsvContext {
  /** Indexed by point; null for points this pool runs no task of. */
  scenarios: (Scenario | null)[];
  trace: boolean;
  /** Format timeseries.csv records (scenarios with `output.timeseries`). */
  timeseries: boolean;
}

export type ChunkItem = TaskResult | { error: string; stack: string | undefined };

const data = workerData as WorkerData;

// User policy modules (absolute paths, validated by the main thread) are imported before the
// first task: a replication is synchronous and only looks them up.
for (const s of data.scenarios) {
  if (s == null || !isAbsolute(s.scheduler.policy)) continue;
  const why = await loadUserPolicy(s.scheduler.policy);
  if (why !== null) throw new Error(`scheduler policy ${s.scheduler.policy}: ${why}`);
}
const keysSent = new Set<number>();

export default function runChunk(tasks: TaskSpec[]): ChunkItem[] {
  return tasks.map((task) => {
    try {
      const scenario = data.scenarios[task.point];
      if (scenario == null) throw new Error(`Expected the scenario of point ${task.point} in this worker, got none`);
      const result = executeTask(scenario, data, task, data.trace, data.timeseries);
      if (keysSent.has(task.point)) result.keys = null;
      else keysSent.add(task.point);
      return result;
    } catch (err) {
      return err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err), stack: undefined };
    }
  });
}
