// The piscina worker: runs chunks of tasks of the scenario points it was given once, at
// start-up, in workerData (structured-cloned once per worker, never per task). Sends each
// point's metric keys with its first result for that point only; the pool keeps them per
// point. A task that throws is returned as its error message and stack, so the other tasks of
// its chunk still count.

import { workerData } from 'piscina';
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
