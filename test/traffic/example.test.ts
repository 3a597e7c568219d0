// scenarios/latency-under-upgrade.yaml: the bundled example loads, and its sweep shows what it
// claims: upgrading more nodes at once costs latency and drops while pods are away.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runReplication } from '../../src/sim/simulation.js';

describe('latency-under-upgrade example', () => {
  const r = loadScenarioFile('scenarios/latency-under-upgrade.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  const points = r.loaded.points;
  const metric = (res: ReturnType<typeof runReplication>, name: string) => res.metrics.find((m) => m.subjectKind === 'service' && m.metric === name)!.value;
  const results = points.map((p) => runReplication(p.scenario, 11));

  it('sweeps maxUnavailable 1, 5, 20 over a 2,000 req/s fast-mode service resolved from its Service manifest', () => {
    expect(points.map((p) => p.scenario.disruptions[0]!.type === 'rolling-node-upgrade' && p.scenario.disruptions[0]!.maxUnavailable)).toEqual([
      { kind: 'int', value: 1 },
      { kind: 'int', value: 5 },
      { kind: 'int', value: 20 },
    ]);
    const t = points[0]!.scenario.traffic[0]!;
    expect([t.service, t.ratePerS, t.mode, t.concurrency, t.timeoutS]).toEqual(['checkout', 2000, 'fast', 2, 10]);
    expect(t.workloads.map((w) => points[0]!.scenario.workloads[w]!.key)).toEqual(['Deployment/checkout']);
  });

  it('one pod away at a time: no drop (58 slots carry 50.8 Erlangs); 5 or 20 at once: overload, drops and p99 near the 10 s timeout', () => {
    const [one, five, twenty] = results;
    // 23 h window of 2,000/s
    for (const x of results) expect(metric(x, 'requests')).toBeCloseTo(2000 * 23 * 3600, 0);
    expect(metric(one!, 'disrupted_dropped_fraction')).toBeLessThan(1e-9);
    expect(metric(one!, 'disrupted_latency_p99_s')).toBeLessThan(0.2);
    // 1 up to rounding: the window minus the (zero) unavailable time is summed interval by interval.
    expect(metric(one!, 'availability')).toBeCloseTo(1, 12);
    for (const x of [five!, twenty!]) {
      expect(metric(x, 'disrupted_dropped_fraction')).toBeGreaterThan(0.001);
      expect(metric(x, 'disrupted_latency_p99_s')).toBeGreaterThan(1);
      expect(metric(x, 'disrupted_latency_p99_s')).toBeLessThan(10.5);
      expect(metric(x, 'availability')).toBeLessThan(1);
    }
    expect(metric(twenty!, 'dropped_fraction')).toBeGreaterThan(metric(one!, 'dropped_fraction'));
  });
});
