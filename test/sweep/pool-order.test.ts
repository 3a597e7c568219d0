// The pool on worker threads starts chunks in task order, so a result waits for earlier ones only
// while the few chunks out at a time run. Regression: piscina's own queue served chunks that
// found every thread busy last in, first out, so the first queued chunks ran at the very end and
// every result after them waited in memory (10,000 of 20,000 tasks at once, with their
// metrics.csv records). Runs runTasks from dist/ (built by the globalSetup) in a fresh process:
// its threads load dist/sweep/worker.js.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** runTasks over `replications` of the quickstart on `workers` threads; what the callbacks saw. */
function runOnThreads(replications: number, workers: number): { order: number[]; maxWaiting: number; threads: number; total: number } {
  const code = `
    const { loadScenarioFile } = await import('./dist/scenario/index.js');
    const { TaskGrid } = await import('./dist/sweep/tasks.js');
    const { runTasks } = await import('./dist/sweep/pool.js');
    const { loaded } = loadScenarioFile('scenarios/quickstart.yaml');
    const tasks = new TaskGrid(loaded, { replications: ${replications} });
    const order = [];
    let arrived = 0;
    let maxWaiting = 0;
    const threads = await runTasks(
      {
        scenarioName: loaded.name, paramNames: [], pointParams: [[]], scenarios: loaded.points.map((p) => p.scenario), tasks, workers: ${workers},
        trace: false, signal: new AbortController().signal, // as the run command passes (Ctrl-C)
      },
      {
        onOutcome: (o) => {
          if (!o.ok) throw o.error;
          order.push(o.task.index);
        },
        // Called as each task arrives, in any order: arrived - handed on = waiting.
        onDone: (done) => {
          arrived = done;
          maxWaiting = Math.max(maxWaiting, arrived - order.length);
        },
      },
    );
    process.stdout.write(JSON.stringify({ order, maxWaiting, threads, total: tasks.length }));`;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(p.stderr);
  return JSON.parse(p.stdout) as { order: number[]; maxWaiting: number; threads: number; total: number };
}

describe('runTasks on worker threads', () => {
  it('hands every outcome on in task order, with few results waiting for earlier ones', () => {
    // 4,096 tasks on 2 threads: chunks of 128 (chunkSize: min(128, 4096 / 16)), 32 chunks, 2 out
    // per thread. Results wait only for chunks already running, a few chunks' worth (129 measured);
    // with the queue that ran the first queued chunks last, 3,713 waited.
    const r = runOnThreads(4096, 2);
    expect(r.threads).toBe(2);
    expect(r.total).toBe(4096);
    expect(r.order).toEqual(Array.from({ length: 4096 }, (_, i) => i));
    expect(r.maxWaiting).toBeLessThan(2048); // half the run: margin for a loaded machine
  });
});
