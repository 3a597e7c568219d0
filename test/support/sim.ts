import { runReplication, type ReplicationResult } from '../../src/sim/simulation.js';
import type { Scenario } from '../../src/scenario/model.js';

export function run(s: Scenario, seed = 1): ReplicationResult & { metric: (subject: string, metric: string) => number; events: (name: string) => string[] } {
  const r = runReplication(s, seed, { trace: true });
  return {
    ...r,
    metric(subject: string, metric: string): number {
      const m = r.metrics.find((x) => x.subject === subject && x.metric === metric);
      if (m === undefined) throw new Error(`no metric ${subject}/${metric}; have ${r.metrics.map((x) => `${x.subject}/${x.metric}`).join(', ')}`);
      return m.value;
    },
    /** "time node pod detail" lines for one event name. */
    events(name: string): string[] {
      return r.trace.filter((t) => t.event === name).map((t) => [t.timeS, t.node, t.pod, t.detail].filter((x) => x !== '').join(' '));
    },
  };
}
