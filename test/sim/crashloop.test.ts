// CrashLoopBackOff worked by hand (reference section 6.1; kube: doBackOff, flowcontrol.Backoff).
import { describe, expect, it } from 'vitest';
import { restartAfterExit } from '../../src/sim/cluster/container-restarts.js';
import { nodePool, podTemplate, scenario, workload } from '../../src/bench/synthetic.js';
import { run } from '../support/sim.js';

describe('restartAfterExit (kubelet backoff)', () => {
  it('restarts at once with no entry, then waits 10, 20, 40... capped at 300 s', () => {
    let b = 0;
    let at = NaN;
    const delays: number[] = [];
    // Exits 100 s after each restart (runs shorter than 600 s never reset the entry).
    let exit = 100;
    for (let i = 0; i < 9; i++) {
      const r = restartAfterExit(b, at, exit);
      delays.push(r.restartAt - exit);
      b = r.backoffS;
      at = r.restartAt;
      exit = r.restartAt + 100;
    }
    expect(delays).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('resets after a run of more than 10 minutes (entry expired: now - lastUpdate > 600 s)', () => {
    // Entry 160 s, updated at 1000; exit at 1601 -> 601 s > 600 -> restart at once, entry 10 s.
    expect(restartAfterExit(160, 1000, 1601)).toEqual({ restartAt: 1601, backoffS: 10 });
    // Exit at exactly 1600 -> not expired (strictly greater is required): wait 160 s.
    expect(restartAfterExit(160, 1000, 1600)).toEqual({ restartAt: 1760, backoffS: 300 });
  });
});

describe('container crashes in a running cluster', () => {
  it('counts restarts and the downtime of the backoff waits', () => {
    const s = scenario({
      horizonS: 1000,
      nodePools: [nodePool({ name: 'general', count: 1 })],
      workloads: [workload({ name: 'app', replicas: 1, template: podTemplate({ labels: { app: 'app' } }), behavior: { crash: { dist: 'fixed', value: 100 } } })],
    });
    const r = run(s);
    // Crash 100 s after each start: crashes at 100, 200, 310, 430, 570, 750; restarts at
    // 100 (+0), 210 (+10), 330 (+20), 470 (+40), 650 (+80), 910 (+160).
    expect(r.events('container-crash').map((e) => Number(e.split(' ')[0]))).toEqual([100, 200, 310, 430, 570, 750]);
    expect(r.events('container-restart').map((e) => Number(e.split(' ')[0]))).toEqual([100, 210, 330, 470, 650, 910]);
    expect(r.metric('app', 'restarts')).toBe(6);
    expect(r.metric('app', 'downtime_s')).toBe(0 + 10 + 20 + 40 + 80 + 160);
    expect(r.metric('app', 'outages')).toBe(5);
  });
});
